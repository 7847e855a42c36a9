#pragma once
// The prompt and negative prompt with the Generate and Cancel buttons beneath them.
#include <QPushButton>
#include <QWidget>
#include <memory>

#include "PromptEditor.h"
#include "celerity/PromptTokens.h"

namespace celerity::ui {

class PromptPanel : public QWidget {
  Q_OBJECT

 public:
  explicit PromptPanel(QWidget* parent = nullptr);

  PromptEditor* positive() const { return positive_; }
  PromptEditor* negative() const { return negative_; }
  QPushButton* generateButton() const { return generate_; }
  QPushButton* cancelButton() const { return cancel_; }

  void setTokenCounter(const std::shared_ptr<const PromptTokenCounter>& counter);
  void setSteps(int steps);
  // While a job runs or waits, Cancel is enabled and Generate queues another job.
  void setBusy(bool busy);

 signals:
  void generateRequested();
  void cancelRequested();

 private:
  PromptEditor* positive_;
  PromptEditor* negative_;
  QPushButton* generate_;
  QPushButton* cancel_;
};

}  // namespace celerity::ui
