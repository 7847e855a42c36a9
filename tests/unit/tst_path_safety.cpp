// Path safety wherever a name from a prompt, a PNG or a request becomes a path: LoRA names,
// detector model names and output file names stay inside their configured folders, and an
// engine job that names a file outside them fails with InvalidArgument without reading it.
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "celerity/Engine.h"
#include "celerity/Error.h"
#include "checkpoint/CheckpointFactory.h"
#include "detail/DetectorSet.h"
#include "lora/LoraResolver.h"
#include "runtime/ImageSaver.h"

using namespace celerity;
namespace fs = std::filesystem;

namespace {

// Names that would leave a folder: parent steps, absolute paths, drive letters, Windows
// separators around "..", a NUL byte that would cut the name short.
const std::vector<std::string> kEscapingNames = {
    "../secret", "../../secret", "sub/../../secret", "/tmp/secret", "/etc/passwd", "C:secret",
    "C:\\secret", "..\\secret", "sub\\..\\..\\secret", std::string("ok\0/../../secret", 17), "",
};

void expectInvalid(const std::function<void()>& call, const std::string& name) {
  try {
    call();
    QFAIL(("accepted the name '" + name + "'").c_str());
  } catch (const CelerityError& e) {
    // InvalidArgument for the name, or FileNotFound when the name is harmless on this system
    // (a backslash is a plain character on Linux) and simply names nothing in the folder.
    const bool refused = e.code() == ErrorCode::InvalidArgument || e.code() == ErrorCode::FileNotFound;
    QVERIFY2(refused, (name + ": " + e.what()).c_str());
  }
}

}  // namespace

class TestPathSafety : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  fs::path root_, loras_, detectors_, model_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    root_ = dir_.path().toStdString();
    loras_ = root_ / "models" / "Lora";
    detectors_ = root_ / "models" / "adetailer";
    fs::create_directories(loras_ / "sub");
    fs::create_directories(detectors_ / "sub");
    // A file beside the folders that every escaping name aims at.
    std::ofstream(root_ / "models" / "secret.safetensors") << "outside";
    std::ofstream(root_ / "models" / "secret.pt") << "outside";
    std::ofstream(root_ / "secret.safetensors") << "outside";
    std::ofstream(root_ / "secret.pt") << "outside";
    CheckpointSpec spec;
    spec.full = false;
    spec.dtype = at::kFloat;
    spec.seed = 5;
    model_ = root_ / "tiny.safetensors";
    writeRandomCheckpoint(spec, model_);
  }

  void loraNamesStayInTheLoraFolders() {
    LoraResolver resolver({loras_});
    for (const auto& name : kEscapingNames) {
      expectInvalid([&] { resolver.resolve(name); }, name);
      expectInvalid([&] { resolver.resolve(name + ".safetensors"); }, name + ".safetensors");
    }
  }

  void detectorNamesStayInTheDetectorFolders() {
    DetectorSet detectors({detectors_}, {}, c10::Device(c10::kCPU));
    for (const auto& name : kEscapingNames) {
      expectInvalid([&] { detectors.resolve(name); }, name);
      expectInvalid([&] { detectors.resolve(name + ".pt"); }, name + ".pt");
    }
  }

  void outputNamesStayInTheOutputFolder() {
    // Whatever the seed, the saved file is a direct child of the folder.
    const fs::path out = root_ / "outputs";
    ImageSaver saver(out);
    for (std::int64_t seed : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{4294967295}, INT64_MIN, INT64_MAX}) {
      GeneratedImage image;
      image.width = image.height = 2;
      image.rgb.assign(12, 9);
      image.seed = seed;
      const auto path = saver.save(image);
      QCOMPARE(path.parent_path(), out);
      QVERIFY(fs::is_regular_file(path));
    }
  }

  void aPromptCannotLoadALoraFromOutside() {
    EngineOptions options;
    options.loraFolders = {loras_.string()};
    Engine engine(options);
    for (const std::string name : {"../secret", "../../secret", "/tmp/secret"}) {
      Job job;
      job.id = 1;
      job.request.checkpointPath = model_.string();
      job.request.prompt = "a cat <lora:" + name + ":1>";
      job.request.steps = 1;
      job.request.width = job.request.height = 64;
      job.request.sampler = "Euler";
      job.previews.method = PreviewMethod::None;
      const auto result = engine.run(job);
      QCOMPARE(result.outcome, JobOutcome::Failed);
      QVERIFY2(result.error.code == ErrorCode::InvalidArgument, result.error.toString().c_str());
    }
  }
};

QTEST_APPLESS_MAIN(TestPathSafety)
#include "tst_path_safety.moc"
