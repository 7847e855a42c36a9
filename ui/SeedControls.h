#pragma once
// The seed: a 64-bit number, −1 for a random one chosen per job (A1111's convention), with a
// dice button (back to −1) and a recycle button (the seed of the last finished image).
#include <QLineEdit>
#include <QToolButton>
#include <QWidget>
#include <cstdint>
#include <optional>

namespace celerity::ui {

class SeedControls : public QWidget {
  Q_OBJECT

 public:
  explicit SeedControls(QWidget* parent = nullptr);

  // −1 when the field is empty or not a number.
  std::int64_t seed() const;
  void setSeed(std::int64_t seed);
  // Enables the recycle button; called when a job finishes.
  void setLastSeed(std::int64_t seed);
  std::optional<std::int64_t> lastSeed() const { return lastSeed_; }

  QLineEdit* field() const { return field_; }
  QToolButton* randomButton() const { return random_; }
  QToolButton* reuseButton() const { return reuse_; }

 private:
  QLineEdit* field_;
  QToolButton* random_;
  QToolButton* reuse_;
  std::optional<std::int64_t> lastSeed_;
};

}  // namespace celerity::ui
