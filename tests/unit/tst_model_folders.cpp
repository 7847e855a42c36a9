// Where the studio finds models: AUTOMATIC1111 and ComfyUI installs (given as the install
// or as its models folder), plain folders, and the studio's own folder; checkpoint listing.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "ModelFolders.h"

using celerity::studio::ModelFolders;
using celerity::studio::ModelInstallKind;

namespace {

void touch(const QString& path) {
  QDir().mkpath(QFileInfo(path).path());
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("x");
}

}  // namespace

class TestModelFolders : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir root_;
  QString a1111_, comfy_, plain_, studio_;

 private slots:
  void initTestCase() {
    QVERIFY(root_.isValid());
    a1111_ = root_.filePath("stable-diffusion-webui");
    for (const char* sub : {"Stable-diffusion", "Lora", "VAE", "VAE-approx", "adetailer"}) {
      QVERIFY(QDir().mkpath(a1111_ + "/models/" + sub));
    }
    touch(a1111_ + "/models/Stable-diffusion/b_model.safetensors");
    touch(a1111_ + "/models/Stable-diffusion/sdxl/a_xl.safetensors");  // subfolders count
    touch(a1111_ + "/models/Stable-diffusion/old.ckpt");             // pickles are not listed
    touch(a1111_ + "/models/VAE/vae-ft-mse-840000-ema-pruned.safetensors");
    touch(a1111_ + "/models/VAE/vae-ft-mse-840000-ema-pruned.ckpt");
    comfy_ = root_.filePath("ComfyUI");
    for (const char* sub : {"checkpoints", "loras", "vae", "vae_approx"}) QVERIFY(QDir().mkpath(comfy_ + "/models/" + sub));
    touch(comfy_ + "/models/checkpoints/comfy.safetensors");
    plain_ = root_.filePath("plain");
    touch(plain_ + "/loose.safetensors");
    studio_ = root_.filePath("studio/models");
    touch(studio_ + "/celerity-demo.safetensors");
  }

  void detectsInstalls() {
    QCOMPARE(ModelFolders::detect(a1111_), ModelInstallKind::Automatic1111);
    QCOMPARE(ModelFolders::detect(a1111_ + "/models"), ModelInstallKind::Automatic1111);
    QCOMPARE(ModelFolders::detect(comfy_), ModelInstallKind::ComfyUi);
    QCOMPARE(ModelFolders::detect(comfy_ + "/models"), ModelInstallKind::ComfyUi);
    QCOMPARE(ModelFolders::detect(plain_), ModelInstallKind::Plain);
    QCOMPARE(ModelFolders::detect(root_.filePath("nowhere")), ModelInstallKind::Plain);
  }

  void a1111Folders() {
    const auto set = ModelFolders::foldersOf(a1111_);
    const QString models = QDir::cleanPath(a1111_ + "/models");
    QCOMPARE(set.checkpoints, QStringList{models + "/Stable-diffusion"});
    QCOMPARE(set.loras, QStringList{models + "/Lora"});  // LyCORIS is absent here
    QCOMPARE(set.vae, QStringList{models + "/VAE"});
    QCOMPARE(set.vaeApprox, QStringList{models + "/VAE-approx"});
    QCOMPARE(set.detailers, QStringList{models + "/adetailer"});
    QCOMPARE(ModelFolders::foldersOf(a1111_ + "/models").checkpoints, set.checkpoints);
  }

  void comfyFolders() {
    const auto set = ModelFolders::foldersOf(comfy_);
    const QString models = QDir::cleanPath(comfy_ + "/models");
    QCOMPARE(set.checkpoints, QStringList{models + "/checkpoints"});
    QCOMPARE(set.loras, QStringList{models + "/loras"});
    QCOMPARE(set.vae, QStringList{models + "/vae"});
    QCOMPARE(set.vaeApprox, QStringList{models + "/vae_approx"});
    QVERIFY(set.detailers.isEmpty());
  }

  void plainFolderHoldsCheckpoints() {
    const auto set = ModelFolders::foldersOf(plain_);
    QCOMPARE(set.checkpoints, QStringList{QDir::cleanPath(plain_)});
    QVERIFY(set.loras.isEmpty());
    QVERIFY(ModelFolders::foldersOf(root_.filePath("nowhere")).checkpoints.isEmpty());
  }

  void listsSafetensorsOfEveryRoot() {
    ModelFolders folders(studio_);
    folders.setRoots({a1111_, comfy_, plain_, a1111_});  // a repeated root lists once
    const QStringList expected = {
        QDir::cleanPath(comfy_ + "/models/checkpoints/comfy.safetensors"),
        QDir::cleanPath(plain_ + "/loose.safetensors"),
        QDir::cleanPath(a1111_ + "/models/Stable-diffusion/b_model.safetensors"),
        QDir::cleanPath(a1111_ + "/models/Stable-diffusion/sdxl/a_xl.safetensors"),
        QDir::cleanPath(studio_ + "/celerity-demo.safetensors"),
    };
    QStringList sorted = expected;
    sorted.sort();
    QCOMPARE(folders.checkpointFiles(), sorted);
    QCOMPARE(folders.folders().checkpoints.size(), 4);  // studio, A1111, ComfyUI, plain
    QCOMPARE(folders.vaeFiles(), QStringList{QDir::cleanPath(a1111_ + "/models/VAE/vae-ft-mse-840000-ema-pruned.safetensors")});
    QCOMPARE(folders.folders().checkpoints.front(), QDir::cleanPath(studio_));
  }

  void listsDetectorModels() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString a1111 = dir.filePath("webui");
    QVERIFY(QDir().mkpath(a1111 + "/models/Stable-diffusion"));
    touch(a1111 + "/models/adetailer/face_yolov8n.pt");
    touch(a1111 + "/models/adetailer/hand_yolov8n.safetensors");
    touch(a1111 + "/models/adetailer/readme.txt");           // not a model
    touch(a1111 + "/models/adetailer/old/person_yolov8n-seg.pt");  // ADetailer does not descend
    const QString comfy = dir.filePath("comfy");
    QVERIFY(QDir().mkpath(comfy + "/models/checkpoints"));
    touch(comfy + "/models/ultralytics/bbox/face_yolov8s.pt");
    touch(comfy + "/models/ultralytics/segm/person_yolov8n-seg.pth");
    touch(comfy + "/models/ultralytics/bbox/face_yolov8n.pt");  // listed once
    const QString studio = dir.filePath("studio");
    touch(studio + "/adetailer/custom.safetensors");

    const auto set = ModelFolders::foldersOf(comfy);
    QCOMPARE(set.detailers, (QStringList{QDir::cleanPath(comfy + "/models/ultralytics/bbox"),
                                         QDir::cleanPath(comfy + "/models/ultralytics/segm")}));
    QCOMPARE(ModelFolders::foldersOf(studio).detailers, QStringList{QDir::cleanPath(studio + "/adetailer")});
    ModelFolders folders(studio);
    folders.setRoots({a1111, comfy});
    QCOMPARE(folders.detectorFiles(), (QStringList{"custom.safetensors", "face_yolov8n.pt", "face_yolov8s.pt",
                                                    "hand_yolov8n.safetensors", "person_yolov8n-seg.pth"}));
  }

  void searchedPlacesNameEveryRoot() {
    ModelFolders folders(studio_);
    folders.setRoots({a1111_, comfy_});
    const QStringList places = folders.searchedPlaces();
    QCOMPARE(places.size(), 3);
    QVERIFY(places[0].contains(QDir::toNativeSeparators(studio_)));
    QVERIFY(places[1].contains("Stable-diffusion"));
    QVERIFY(places[1].contains(ModelFolders::kindName(ModelInstallKind::Automatic1111)));
    QVERIFY(places[2].contains("checkpoints"));
    QVERIFY(places[2].contains(ModelFolders::kindName(ModelInstallKind::ComfyUi)));
  }
};

QTEST_GUILESS_MAIN(TestModelFolders)
#include "tst_model_folders.moc"
