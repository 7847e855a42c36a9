// The generation pipeline on the tiny SD 1.x checkpoint of the golden folder: request
// validation, cancellation, seeds and batches, stages, img2img and hires fix.
#include <atomic>
#include <functional>
#include <memory>

#include <QTemporaryDir>
#include <QTest>

#include "celerity/Error.h"
#include "celerity/Request.h"
#include "common/GoldenSupport.h"
#include "imaging/RgbImage.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/CfgDenoiser.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/Img2Img.h"
#include "pipeline/LoadedModel.h"
#include "pipeline/PngImageReader.h"
#include "pipeline/PromptConditioning.h"
#include "pipeline/SamplingPlan.h"
#include "pipeline/StageObserver.h"
#include "text/ClipTokenizer.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::GenerationPipeline;
using celerity::Request;

Q_DECLARE_METATYPE(std::function<void(Request&)>)

namespace {

const char* const kCheckpoint = "sd15_tiny.safetensors";

// A small, quick request: 64×64 (an 8×8 latent), 3 steps.
Request smallRequest() {
  Request request;
  request.prompt = "a photo of a cat";
  request.negativePrompt = "blurry";
  request.seed = 1234;
  request.steps = 3;
  request.cfgScale = 7.0;
  request.sampler = "Euler";
  request.scheduler = "normal";
  request.width = 64;
  request.height = 64;
  return request;
}

class Recorder : public celerity::StageObserver {
 public:
  void onStageBegin(const std::string& stage) override { stages.push_back(stage); }
  void onStep(int step, int total, const at::Tensor& latent, const at::Tensor&) override {
    steps.push_back(step);
    lastTotal = total;
    if (stepHook) stepHook(step);
    QVERIFY(latent.defined());
  }
  bool recordsTensors() const override { return recordTensors; }
  void onTensor(const std::string& name, const at::Tensor& value) override { tensors[name] = value; }

  int count(const std::string& stage) const {
    return static_cast<int>(std::count(stages.begin(), stages.end(), stage));
  }

  std::vector<std::string> stages;
  std::vector<int> steps;
  int lastTotal = 0;
  bool recordTensors = false;
  std::map<std::string, at::Tensor> tensors;
  std::function<void(int)> stepHook;
};

int maxByteDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  if (a.size() != b.size()) return 256;
  int worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(int(a[i]) - int(b[i])));
  return worst;
}

}  // namespace

class TestPipeline : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<GenerationPipeline> pipeline_;
  QTemporaryDir dir_;

  GenerationPipeline& pipeline() {
    if (!pipeline_) {
      auto model = celerity::LoadedModel::fromCheckpoint(celerity::test::goldenPath(kCheckpoint));
      pipeline_ = std::make_unique<GenerationPipeline>(model, celerity::ClipTokenizer::loadDefault());
    }
    return *pipeline_;
  }

  std::string tempPath(const std::string& name) { return dir_.filePath(QString::fromStdString(name)).toStdString(); }

 private slots:
  void validationNamesTheField_data() {
    QTest::addColumn<std::function<void(Request&)>>("mutate");
    QTest::addColumn<QString>("field");
    using F = std::function<void(Request&)>;
    QTest::newRow("width not /8") << F([](Request& r) { r.width = 100; }) << "Request.width";
    QTest::newRow("height 0") << F([](Request& r) { r.height = 0; }) << "Request.height";
    QTest::newRow("steps 0") << F([](Request& r) { r.steps = 0; }) << "Request.steps";
    QTest::newRow("cfg negative") << F([](Request& r) { r.cfgScale = -1; }) << "Request.cfgScale";
    QTest::newRow("seed") << F([](Request& r) { r.seed = -5; }) << "Request.seed";
    QTest::newRow("sampler") << F([](Request& r) { r.sampler = "no such sampler"; }) << "Request.sampler";
    QTest::newRow("scheduler") << F([](Request& r) { r.scheduler = "sometimes"; }) << "Request.scheduler";
    QTest::newRow("batch size") << F([](Request& r) { r.batchSize = 0; }) << "Request.batchSize";
    QTest::newRow("batch count") << F([](Request& r) { r.batchCount = 0; }) << "Request.batchCount";
    QTest::newRow("clip skip") << F([](Request& r) { r.clipSkip = 0; }) << "Request.clipSkip";
    QTest::newRow("strength") << F([](Request& r) {
      r.img2img.initImagePath = "x.png";
      r.img2img.denoisingStrength = 1.5;
    }) << "Request.img2img.denoisingStrength";
    QTest::newRow("mask without image") << F([](Request& r) { r.inpaint.maskPath = "m.png"; })
                                        << "Request.inpaint.maskPath";
    QTest::newRow("hires scale") << F([](Request& r) {
      r.hires.enabled = true;
      r.hires.scale = 0.5;
    }) << "Request.hires.scale";
    QTest::newRow("hires upscaler") << F([](Request& r) {
      r.hires.enabled = true;
      r.hires.upscaler = "ESRGAN";
    }) << "Request.hires.upscaler";
  }

  void validationNamesTheField() {
    QFETCH(std::function<void(Request&)>, mutate);
    QFETCH(QString, field);
    auto request = smallRequest();
    celerity::validateRequest(request);  // the base request is valid
    mutate(request);
    try {
      celerity::validateRequest(request);
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::InvalidArgument);
      QCOMPARE(QString::fromStdString(e.error().where), field);
    }
  }

  void acceptsA1111AndComfyNames() {
    auto request = smallRequest();
    for (const auto* sampler : {"Euler a", "euler_ancestral", "DPM++ 2M", "dpmpp_2m", "LMS"}) {
      request.sampler = sampler;
      celerity::validateRequest(request);
    }
    for (const auto* scheduler : {"Karras", "karras", "Automatic", "SGM Uniform"}) {
      request.scheduler = scheduler;
      celerity::validateRequest(request);
    }
  }

  void img2imgSigmasFollowA1111() {
    const auto table = celerity::DiscreteSchedule::scaledLinear(celerity::SigmaTableFlavor::CompVis);
    auto request = smallRequest();
    const auto plan = celerity::SamplingPlan::forRequest(request);
    const auto full = plan.sigmas(table, 10);
    // t_enc = int(0.5 · 10) = 5: the last t_enc + 1 steps of the full schedule.
    const auto half = celerity::img2imgSigmas(plan, table, 10, 0.5, false);
    QCOMPARE(half.size(), std::size_t{7});
    QCOMPARE(half.front(), full[4]);
    QCOMPARE(half.back(), 0.0);
    // Fixed steps (hires fix): exactly `steps` steps of a stretched schedule.
    const auto fixed = celerity::img2imgSigmas(plan, table, 4, 0.5, true);
    QCOMPARE(fixed.size(), std::size_t{5});
    QCOMPARE(fixed.front(), plan.sigmas(table, 8)[4]);
    QVERIFY(celerity::img2imgSigmas(plan, table, 10, 0.0, false).empty());
  }

  void timestepModes() {
    const auto table = celerity::DiscreteSchedule::scaledLinear(celerity::SigmaTableFlavor::Sgm);
    const auto sigma = at::tensor({static_cast<float>(table.sigmaOf(799)), static_cast<float>(table.sigmaOf(3))});
    const auto index = celerity::CfgDenoiser::timesteps(table, celerity::TimestepMode::NearestIndex, sigma);
    QCOMPARE(index.scalar_type(), at::kLong);
    QCOMPARE(index[0].item<std::int64_t>(), std::int64_t{799});
    QCOMPARE(index[1].item<std::int64_t>(), std::int64_t{3});
    const auto t = celerity::CfgDenoiser::timesteps(table, celerity::TimestepMode::Interpolated, sigma);
    QCOMPARE(t.scalar_type(), at::kFloat);
    QVERIFY(std::abs(t[0].item<double>() - 799.0) < 1e-3);
  }

  void txt2imgStagesAndParameters() {
    auto request = smallRequest();
    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline().run(request, control);
    QCOMPARE(result.images.size(), std::size_t{1});
    const auto& image = result.images.front();
    QCOMPARE(image.width, 64);
    QCOMPARE(image.height, 64);
    QCOMPARE(image.rgb.size(), std::size_t{64 * 64 * 3});
    QCOMPARE(image.seed, std::int64_t{1234});
    QCOMPARE(recorder.count(celerity::stages::kTextEncode), 1);
    QCOMPARE(recorder.count(celerity::stages::kSampleStep), request.steps);
    QCOMPARE(recorder.count(celerity::stages::kVaeDecode), 1);
    QCOMPARE(recorder.steps, (std::vector<int>{0, 1, 2}));
    QCOMPARE(recorder.lastTotal, request.steps);
    const auto& text = image.infotext;
    QVERIFY2(text.rfind("a photo of a cat\nNegative prompt: blurry\n", 0) == 0, text.c_str());
    QVERIFY2(text.find("Steps: 3, Sampler: Euler, Schedule type: Uniform, CFG scale: 7, Seed: 1234, Size: 64x64") !=
                 std::string::npos,
             text.c_str());
  }

  void sameSeedSameImage() {
    const auto request = smallRequest();
    const auto a = pipeline().run(request);
    const auto b = pipeline().run(request);
    QVERIFY(a.images[0].rgb == b.images[0].rgb);
    auto other = request;
    other.seed = 4321;
    QVERIFY(pipeline().run(other).images[0].rgb != a.images[0].rgb);
  }

  void randomSeedIsResolved() {
    auto request = smallRequest();
    request.seed = -1;
    request.steps = 1;
    const auto result = pipeline().run(request);
    QVERIFY(result.seed >= 0 && result.seed <= 4294967294LL);
    QCOMPARE(result.images[0].seed, result.seed);
    QCOMPARE(result.images[0].parameters.seed, static_cast<long long>(result.seed));
  }

  void batchImagesUseSeedPlusIndex() {
    auto request = smallRequest();
    request.seed = 77;
    request.batchSize = 2;
    request.batchCount = 2;
    const auto result = pipeline().run(request);
    QCOMPARE(result.images.size(), std::size_t{4});
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(result.images[i].seed, std::int64_t{77 + i});
      QCOMPARE(result.images[i].index, i);
    }
    // Image i of a batch is the image of seed + i made alone (up to batched float rounding).
    auto single = smallRequest();
    single.seed = 78;
    const auto alone = pipeline().run(single);
    QVERIFY(maxByteDifference(alone.images[0].rgb, result.images[1].rgb) <= 1);
    single.seed = 79;
    QVERIFY(maxByteDifference(pipeline().run(single).images[0].rgb, result.images[2].rgb) <= 1);
  }

  void cancelEndsPromptly() {
    auto request = smallRequest();
    request.steps = 20;
    std::atomic<bool> cancel{false};
    Recorder recorder;
    recorder.stepHook = [&cancel](int step) {
      if (step == 1) cancel = true;
    };
    celerity::JobControl control;
    control.observer = &recorder;
    control.cancel = &cancel;
    try {
      pipeline().run(request, control);
      QFAIL("not cancelled");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::Cancelled);
    }
    // The step that saw the cancel was the last model call.
    QCOMPARE(recorder.count(celerity::stages::kSampleStep), 2);
    QCOMPARE(recorder.count(celerity::stages::kVaeDecode), 0);
  }

  void cancelledBeforeStartDoesNoWork() {
    std::atomic<bool> cancel{true};
    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    control.cancel = &cancel;
    QVERIFY_THROWS_EXCEPTION(CelerityError, pipeline().run(smallRequest(), control));
    QCOMPARE(recorder.count(celerity::stages::kSampleStep), 0);
  }

  void promptEditingSwitchesConditioning() {
    // "[cat:dog:1]" of 3 steps: "cat" for model call 0 and 1 (A1111: step <= 1), then "dog".
    auto request = smallRequest();
    request.prompt = "a photo of a [cat:dog:1]";
    const auto conditioning = celerity::encodePrompts(pipeline().conditioner(), request, 64, 64, {});
    QCOMPARE(conditioning.cond.size(), std::size_t{2});
    QCOMPARE(conditioning.cond[0].untilStep, 1);
    QCOMPARE(conditioning.cond[1].untilStep, request.steps);

    const auto run = [&](const std::string& prompt) {
      auto r = smallRequest();
      r.prompt = prompt;
      auto recorder = std::make_shared<Recorder>();
      recorder->recordTensors = true;
      celerity::JobControl control;
      control.observer = recorder.get();
      pipeline().run(r, control);
      return recorder;
    };
    const auto edited = run(request.prompt);
    const auto cat = run("a photo of a cat");
    const auto dog = run("a photo of a dog");
    QVERIFY(at::equal(edited->tensors.at("step.0.eps"), cat->tensors.at("step.0.eps")));
    QVERIFY(at::equal(edited->tensors.at("step.1.eps"), cat->tensors.at("step.1.eps")));
    // From call 2 on the dog text conditions the (cat-made) latent.
    QVERIFY(!at::equal(edited->tensors.at("step.2.eps"), cat->tensors.at("step.2.eps")));
    QVERIFY(!at::equal(edited->tensors.at("step.0.eps"), dog->tensors.at("step.0.eps")));
  }

  void loraTagsAreCutFromTheText() {
    auto request = smallRequest();
    request.prompt = "a photo of a cat <lora:style:0.8>";
    const auto tagged = celerity::encodePrompts(pipeline().conditioner(), request, 64, 64, {});
    request.prompt = "a photo of a cat ";
    const auto plain = celerity::encodePrompts(pipeline().conditioner(), request, 64, 64, {});
    QVERIFY(at::equal(tagged.condEncoded.tokens, plain.condEncoded.tokens));
  }

  void cfgOneSkipsUncond() {
    auto request = smallRequest();
    request.cfgScale = 1.0;
    request.steps = 1;
    Recorder recorder;
    recorder.recordTensors = true;
    celerity::JobControl control;
    control.observer = &recorder;
    pipeline().run(request, control);
    QCOMPARE(recorder.tensors.at("step.0.eps").size(0), std::int64_t{1});
    QVERIFY(recorder.tensors.count("uncond.context") == 0);
  }

  void img2imgStrengthZeroKeepsTheInit() {
    // Decode a txt2img result, feed it back at strength 0: only the VAE round trip remains.
    auto request = smallRequest();
    const auto first = pipeline().run(request);
    const auto path = tempPath("init.png");
    celerity::writePngWithParameters(path, first.images[0].rgb, 64, 64, first.images[0].infotext);
    QCOMPARE(celerity::readPngImage(path).pixels, first.images[0].rgb);

    auto img2img = smallRequest();
    img2img.img2img.initImagePath = path;
    img2img.img2img.denoisingStrength = 0.0;
    Recorder recorder;
    recorder.recordTensors = true;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline().run(img2img, control);
    QCOMPARE(recorder.count(celerity::stages::kSampleStep), 0);
    QCOMPARE(recorder.count(celerity::stages::kVaeEncode), 1);
    QCOMPARE(result.images[0].parameters.denoisingStrength.value_or(-1), 0.0);
    // What is decoded is the encoded init image itself.
    const auto decodeInput = recorder.tensors.at("decode_input");
    const auto initLatent = recorder.tensors.at("init_latent");
    QVERIFY(at::allclose(decodeInput * pipeline().model().scaleFactor(), initLatent, 1e-5, 1e-6));
  }

  void img2imgRunsTheTailOfTheSchedule() {
    auto request = smallRequest();
    const auto path = tempPath("flat.png");
    const auto flat = celerity::RgbImage::filled(64, 64, 200, 120, 40);
    celerity::writePngWithParameters(path, flat.pixels, 64, 64, "");
    request.steps = 10;
    request.img2img.initImagePath = path;
    request.img2img.denoisingStrength = 0.3;
    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline().run(request, control);
    // t_enc = int(0.3 · 10) = 3 → 4 steps (A1111).
    QCOMPARE(recorder.count(celerity::stages::kSampleStep), 4);
    QCOMPARE(result.images[0].width, 64);
    QVERIFY2(result.images[0].infotext.find("Denoising strength: 0.3") != std::string::npos,
             result.images[0].infotext.c_str());
  }

  void hiresFixRendersTheLargerSize() {
    auto request = smallRequest();
    request.steps = 2;
    request.hires.enabled = true;
    request.hires.scale = 2.0;
    request.hires.steps = 2;
    request.hires.denoisingStrength = 0.5;
    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline().run(request, control);
    QCOMPARE(result.images[0].width, 128);
    QCOMPARE(result.images[0].height, 128);
    QCOMPARE(recorder.count(celerity::stages::kHiresUpscale), 1);
    QCOMPARE(recorder.count(celerity::stages::kSampleStep), 4);
    const auto& text = result.images[0].infotext;
    QVERIFY2(text.find("Size: 64x64") != std::string::npos, text.c_str());
    QVERIFY2(text.find("Hires upscale: 2") != std::string::npos, text.c_str());
  }

  void sizesTheModelCannotRunAreRefused() {
    auto request = smallRequest();
    request.width = 72;  // a multiple of 8, not of the tiny UNet's 64
    try {
      pipeline().run(request);
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::InvalidArgument);
      QCOMPARE(QString::fromStdString(e.error().where), QString("Request.width"));
    }
  }

  void inpaintKeepsTheUnmaskedPixels() {
    // Repaint the left half of a flat picture: the right half keeps the original bytes.
    const auto initPath = tempPath("inpaint-init.png");
    const auto maskPath = tempPath("inpaint-mask.png");
    const auto flat = celerity::RgbImage::filled(64, 64, 30, 160, 220);
    celerity::writePngWithParameters(initPath, flat.pixels, 64, 64, "");
    auto mask = celerity::RgbImage::filled(64, 64, 0, 0, 0);
    for (int y = 0; y < 64; ++y) {
      for (int x = 0; x < 32; ++x) std::fill(mask.at(x, y), mask.at(x, y) + 3, std::uint8_t{255});
    }
    celerity::writePngWithParameters(maskPath, mask.pixels, 64, 64, "");

    auto request = smallRequest();
    request.steps = 4;
    request.img2img.initImagePath = initPath;
    request.img2img.denoisingStrength = 0.75;
    request.inpaint.maskPath = maskPath;
    request.inpaint.maskBlur = 4;
    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline().run(request, control);
    QCOMPARE(recorder.count(celerity::stages::kInpaintPaste), 1);
    const auto& image = result.images[0];
    QCOMPARE(image.width, 64);
    int changedLeft = 0;
    for (int y = 0; y < 64; ++y) {
      for (int x = 0; x < 64; ++x) {
        const auto* p = image.rgb.data() + (static_cast<std::size_t>(y) * 64 + x) * 3;
        const bool same = p[0] == 30 && p[1] == 160 && p[2] == 220;
        if (x >= 48) QVERIFY2(same, ("pixel changed outside the mask at x " + std::to_string(x)).c_str());
        if (x < 16 && !same) ++changedLeft;
      }
    }
    QVERIFY(changedLeft > 0);
    QVERIFY2(image.infotext.find("Mask blur: 4") != std::string::npos, image.infotext.c_str());
  }

  void allZeroMaskLeavesTheImageUnchanged() {
    // Nothing to repaint: every pixel of the result is the init pixel.
    const auto initPath = tempPath("zero-mask-init.png");
    const auto maskPath = tempPath("zero-mask.png");
    auto init = celerity::RgbImage::filled(64, 64, 90, 40, 200);
    for (int x = 0; x < 64; ++x) init.at(x, x)[0] = static_cast<std::uint8_t>(4 * x);
    celerity::writePngWithParameters(initPath, init.pixels, 64, 64, "");
    const auto mask = celerity::RgbImage::filled(64, 64, 0, 0, 0);
    celerity::writePngWithParameters(maskPath, mask.pixels, 64, 64, "");

    auto request = smallRequest();
    request.steps = 3;
    request.img2img.initImagePath = initPath;
    request.img2img.denoisingStrength = 0.75;
    request.inpaint.maskPath = maskPath;
    request.inpaint.maskBlur = 4;
    const auto result = pipeline().run(request);
    QCOMPARE(result.images[0].rgb, init.pixels);
  }

  void missingInitImageNamesThePath() {
    auto request = smallRequest();
    request.img2img.initImagePath = tempPath("missing.png");
    try {
      pipeline().run(request);
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      QVERIFY(e.error().where.find("missing.png") != std::string::npos);
    }
  }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
