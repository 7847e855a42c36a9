#pragma once
// The window's actions and menus, with their shortcuts: Ctrl+Enter generates, Escape
// cancels the running job, F9 toggles the profiler overlay. The prompt fields handle
// Ctrl+Enter and Escape themselves (so they work while typing); these cover the rest.
#include <QAction>
#include <QActionGroup>
#include <QMenuBar>
#include <QObject>

namespace celerity::ui {

class StudioActions : public QObject {
  Q_OBJECT

 public:
  explicit StudioActions(QWidget* window);

  // Builds File / Generate / View / Settings in `bar`; `viewExtras` (dock toggles) are
  // appended to the View menu.
  void populateMenus(QMenuBar* bar, const QList<QAction*>& viewExtras);
  // Checks the language entry for `code` ("" = system).
  void setCurrentLanguage(const QString& code);

  QAction* generate;
  QAction* cancel;
  QAction* cancelAll;
  QAction* finishCurrentImage;
  QAction* overlay;
  QAction* openParameters;
  QAction* openInitImage;
  QAction* chooseModelFolder;
  QAction* demoCheckpoint;
  QAction* refreshCheckpoints;
  QAction* quit;
  QActionGroup* languages;

 signals:
  // "" for the system language, else a locale name ("en", "ru").
  void languageChosen(const QString& code);
};

}  // namespace celerity::ui
