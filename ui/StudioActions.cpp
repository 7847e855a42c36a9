#include "StudioActions.h"

#include <QMenu>

namespace celerity::ui {

namespace {

QAction* makeAction(QObject* parent, const QString& text, const QString& name, const QList<QKeySequence>& keys = {}) {
  auto* action = new QAction(text, parent);
  action->setObjectName(name);
  action->setShortcuts(keys);
  return action;
}

}  // namespace

StudioActions::StudioActions(QWidget* window) : QObject(window) {
  generate = makeAction(window, tr("&Generate"), QStringLiteral("actionGenerate"),
                        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
  cancel = makeAction(window, tr("&Cancel"), QStringLiteral("actionCancel"), {QKeySequence(Qt::Key_Escape)});
  cancelAll = makeAction(window, tr("Cancel &all"), QStringLiteral("actionCancelAll"),
                         {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Escape)});
  finishCurrentImage = makeAction(window, tr("&Finish current image and stop"), QStringLiteral("actionFinishCurrent"));
  overlay = makeAction(window, tr("Profiler &overlay"), QStringLiteral("actionOverlay"), {QKeySequence(Qt::Key_F9)});
  overlay->setCheckable(true);
  overlay->setChecked(true);
  overlay->setToolTip(tr("Show where the time goes over the image (F9)"));
  openParameters = makeAction(window, tr("&Restore parameters from PNG…"), QStringLiteral("actionOpenParameters"),
                              {QKeySequence::Open});
  openInitImage = makeAction(window, tr("Open &init image…"), QStringLiteral("actionOpenInitImage"));
  chooseModelFolder = makeAction(window, tr("&Models folder…"), QStringLiteral("actionModelFolder"));
  demoCheckpoint = makeAction(window, tr("Create &demo checkpoint"), QStringLiteral("actionDemoCheckpoint"));
  demoCheckpoint->setToolTip(tr("A tiny checkpoint with random weights: it exercises the studio but paints noise"));
  refreshCheckpoints = makeAction(window, tr("&Refresh checkpoints"), QStringLiteral("actionRefresh"),
                                  {QKeySequence::Refresh});
  quit = makeAction(window, tr("&Quit"), QStringLiteral("actionQuit"), {QKeySequence::Quit});
  quit->setMenuRole(QAction::QuitRole);
  for (QAction* a : {generate, cancel, cancelAll, finishCurrentImage, overlay}) {
    a->setShortcutContext(Qt::WindowShortcut);
    window->addAction(a);
  }

  languages = new QActionGroup(this);
  languages->setExclusive(true);
  const QList<QPair<QString, QString>> choices = {
      {QString(), tr("System language")}, {QStringLiteral("en"), QStringLiteral("English")},
      {QStringLiteral("ru"), QStringLiteral("Русский")}};
  for (const auto& [code, label] : choices) {
    QAction* a = languages->addAction(label);
    a->setCheckable(true);
    a->setData(code);
  }
  connect(languages, &QActionGroup::triggered, this,
          [this](QAction* action) { emit languageChosen(action->data().toString()); });
}

void StudioActions::populateMenus(QMenuBar* bar, const QList<QAction*>& viewExtras) {
  QMenu* file = bar->addMenu(tr("&File"));
  file->addAction(openParameters);
  file->addAction(openInitImage);
  file->addSeparator();
  file->addAction(chooseModelFolder);
  file->addAction(refreshCheckpoints);
  file->addAction(demoCheckpoint);
  file->addSeparator();
  file->addAction(quit);

  QMenu* run = bar->addMenu(tr("&Generate", "menu"));
  run->addAction(generate);
  run->addAction(cancel);
  run->addAction(finishCurrentImage);
  run->addAction(cancelAll);

  QMenu* view = bar->addMenu(tr("&View"));
  view->addAction(overlay);
  view->addSeparator();
  for (QAction* a : viewExtras) view->addAction(a);

  QMenu* settings = bar->addMenu(tr("&Settings"));
  QMenu* language = settings->addMenu(tr("&Language"));
  language->addActions(languages->actions());
}

void StudioActions::setCurrentLanguage(const QString& code) {
  for (QAction* a : languages->actions()) a->setChecked(a->data().toString() == code);
}

}  // namespace celerity::ui
