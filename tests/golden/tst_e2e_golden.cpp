// End-to-end txt2img against the reference runs: the real GenerationPipeline runs the golden
// request (parameters from the file's metadata) with an observer that records every
// intermediate, and each stored tensor is compared with what the pipeline produced —
// tokens, text conditioning, schedule, noise, every latent, every UNet call, the image.
//   e2e_sd15_tiny: A1111 / k-diffusion txt2img on the single-file SD 1.x checkpoint;
//   e2e_sdxl_tiny: Stability sgm txt2img on an SDXL model assembled from four files,
//                  run with Request::sdxlReferenceSampling.
#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "celerity/Request.h"
#include "checkpoint/CheckpointDetector.h"
#include "common/GoldenSupport.h"
#include "io/SafetensorsFile.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/LoadedModel.h"
#include "pipeline/PromptConditioning.h"
#include "pipeline/StageObserver.h"
#include "text/ClipTokenizer.h"

using celerity::CelerityError;
using celerity::SafetensorsFile;

namespace {

const std::string kSd15File = "e2e_sd15_tiny.expected.safetensors";
const std::string kSdxlFile = "e2e_sdxl_tiny.expected.safetensors";

class Recorder : public celerity::StageObserver {
 public:
  bool recordsTensors() const override { return true; }
  void onTensor(const std::string& name, const at::Tensor& value) override { tensors[name] = value; }
  void onStageBegin(const std::string& stage) override { stages.push_back(stage); }

  at::Tensor get(const std::string& name) const {
    const auto it = tensors.find(name);
    if (it == tensors.end()) {
      throw CelerityError(celerity::ErrorCode::Internal, "the pipeline recorded no '" + name + "'",
                          "Recorder");
    }
    return it->second;
  }

  std::map<std::string, at::Tensor> tensors;
  std::vector<std::string> stages;
};

std::string metadata(const SafetensorsFile& file, const std::string& key) {
  const auto value = file.metadataValue(key);
  if (!value) {
    throw CelerityError(celerity::ErrorCode::MalformedFile, "golden metadata lacks '" + key + "'",
                        file.path().string());
  }
  return *value;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The request of a golden run: prompts, steps, CFG and seed from the metadata, the size and
// batch from the stored noise [B, C, h, w].
celerity::Request goldenRequest(const SafetensorsFile& golden, std::int64_t spatialFactor) {
  celerity::Request request;
  request.checkpointPath = metadata(golden, "weights");
  request.prompt = metadata(golden, "prompt");
  request.negativePrompt = metadata(golden, "negative_prompt");
  request.steps = std::stoi(metadata(golden, "steps"));
  request.cfgScale = std::stod(metadata(golden, "cfg_scale"));
  request.seed = std::stoll(metadata(golden, "noise_seed"));
  const auto noise = golden.tensor("noise");
  request.batchSize = static_cast<int>(noise.size(0));
  request.height = static_cast<int>(noise.size(2) * spatialFactor);
  request.width = static_cast<int>(noise.size(3) * spatialFactor);
  // Both references use k-diffusion's / sgm's plain Euler step (no churn).
  request.sampler = "Euler";
  request.scheduler = "normal";
  return request;
}

struct Check {
  std::string name;
  at::Tensor out;
  at::Tensor ref;
};

// Compares everything, logs each relative error, and fails listing every mismatch.
void verifyAll(const std::vector<Check>& checks, const std::string& label) {
  std::string failures;
  double worst = 0;
  std::string worstName;
  for (const auto& check : checks) {
    const auto cmp = celerity::test::compareTensors(check.out, check.ref);
    const double rel = cmp.maxAbsRef > 0 ? cmp.maxAbsDiff / cmp.maxAbsRef : cmp.maxAbsDiff;
    if (rel > worst) {
      worst = rel;
      worstName = check.name;
    }
    if (!cmp.ok) failures += "\n  " + check.name + ": " + cmp.message;
  }
  qInfo("%s: %zu tensors compared, worst relative error %.3g (%s)", label.c_str(), checks.size(), worst,
        worstName.c_str());
  QVERIFY2(failures.empty(), (label + " mismatches:" + failures).c_str());
}

// Golden keys the pipeline records under the same name.
bool isPipelineName(const std::string& key) {
  return key == "sigmas" || key == "noise" || key == "final_latent" || key == "decode_input" ||
         key == "image" || key == "image_01" || startsWith(key, "latent.") || startsWith(key, "step.") ||
         startsWith(key, "cond.") || startsWith(key, "uncond.");
}

// Every step.i.* and latent.i the reference stored has a counterpart (no step skipped).
void requireStepsCovered(const SafetensorsFile& golden, const Recorder& recorder, int steps) {
  for (int i = 0; i <= steps; ++i) {
    QVERIFY2(golden.contains("latent." + std::to_string(i)), ("golden lacks latent." + std::to_string(i)).c_str());
    QVERIFY(recorder.tensors.count("latent." + std::to_string(i)) == 1);
  }
  QVERIFY2(!recorder.tensors.count("step." + std::to_string(steps) + ".eps"),
           "the pipeline evaluated the model more often than the reference");
}

}  // namespace

class TestE2eGolden : public QObject {
  Q_OBJECT

 private slots:
  void sd15Txt2Img() {
    const auto golden = celerity::test::openGolden(kSd15File);
    const auto weights = metadata(*golden, "weights");
    const auto started = std::chrono::steady_clock::now();
    auto model = celerity::LoadedModel::fromCheckpoint(celerity::test::goldenPath(weights));
    QCOMPARE(model->family(), celerity::ModelFamily::SD1);
    QCOMPARE(model->scaleFactor(), std::stod(metadata(*golden, "scale_factor")));
    celerity::GenerationPipeline pipeline(model, celerity::ClipTokenizer::loadDefault());

    auto request = goldenRequest(*golden, model->spatialFactor());
    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline.run(request, control);
    QCOMPARE(static_cast<int>(result.images.size()), request.batchSize);
    qInfo("sd15 e2e: %.2f s with loading",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    std::vector<Check> checks;
    for (const auto& info : golden->tensors()) {
      const auto& key = info.name;
      const auto ref = golden->tensor(key);
      if (key == "tokens_cond") {
        checks.push_back({key, recorder.get("cond.tokens"), ref});
      } else if (key == "tokens_uncond") {
        checks.push_back({key, recorder.get("uncond.tokens"), ref});
      } else if (key == "clip.last_hidden_cond") {
        checks.push_back({key, recorder.get("cond.context"), ref});
      } else if (key == "clip.last_hidden_uncond") {
        checks.push_back({key, recorder.get("uncond.context"), ref});
      } else if (key == "clip.penultimate_ln_cond") {
        // A1111 "Clip skip: 2" is the penultimate layer through the final LayerNorm.
        auto skip = request;
        skip.clipSkip = 2;
        Recorder skipRecorder;
        celerity::JobControl skipControl;
        skipControl.observer = &skipRecorder;
        celerity::encodePrompts(pipeline.conditioner(), skip, skip.width, skip.height, skipControl);
        checks.push_back({key, skipRecorder.get("cond.context"), ref});
      } else if (key == "alphas_cumprod") {
        // The sigma table the run used is the one of these ᾱ (k-diffusion CompVisDenoiser).
        checks.push_back({key, recorder.get("schedule.sigmas"), ((1 - ref) / ref).sqrt()});
      } else if (key == "clip.penultimate_raw_cond" || key == "clip.pooled_cond") {
        continue;  // CLIP outputs SD 1.x sampling never uses (tst_clip_golden checks them)
      } else if (isPipelineName(key)) {
        checks.push_back({key, recorder.get(key), ref});
      } else {
        QFAIL(("no pipeline counterpart for golden tensor " + key).c_str());
      }
    }
    requireStepsCovered(*golden, recorder, request.steps);
    verifyAll(checks, "e2e_sd15_tiny");
  }

  void sdxlReferenceTxt2Img() {
    namespace keys = celerity::checkpoint_keys;
    const auto golden = celerity::test::openGolden(kSdxlFile);
    const auto started = std::chrono::steady_clock::now();

    // The model as the metadata assembles it: which file gives each SDXL component.
    celerity::ModelParts parts;
    parts.family = celerity::ModelFamily::SDXL;
    parts.scaleFactor = std::stod(metadata(*golden, "scale_factor"));
    parts.name = "e2e_sdxl_tiny";
    for (const auto& entry : nlohmann::json::parse(metadata(*golden, "weights_assembly"))) {
      const auto file = celerity::test::goldenPath(entry.at("file").get<std::string>());
      const auto take = entry.at("take_prefix").get<std::string>();
      const auto as = entry.at("as_prefix").get<std::string>();
      if (as == keys::kUNet) {
        parts.unet = {file, take};
      } else if (as == keys::kVae) {
        parts.vae = {file, take};
      } else if (startsWith(as, keys::kSdxlClipL)) {
        parts.clipL = {file, take};
      } else if (as == keys::kSdxlOpenClipG) {
        parts.openClipG = {file, take};
      } else {
        QFAIL(("unknown component prefix in weights_assembly: " + as).c_str());
      }
    }
    auto model = celerity::LoadedModel::fromParts(parts);
    QVERIFY(model->isSdxl());
    celerity::GenerationPipeline pipeline(model, celerity::ClipTokenizer::loadDefault());

    auto request = goldenRequest(*golden, model->spatialFactor());
    request.sdxlReferenceSampling = true;
    QCOMPARE(request.width, std::stoi(metadata(*golden, "width")));
    QCOMPARE(request.height, std::stoi(metadata(*golden, "height")));
    const auto sizes = nlohmann::json::parse(metadata(*golden, "size_ids"));
    request.sdxlSize.originalHeight = sizes.at("original_size_as_tuple").at(0).get<int>();
    request.sdxlSize.originalWidth = sizes.at("original_size_as_tuple").at(1).get<int>();
    request.sdxlSize.cropTop = sizes.at("crop_coords_top_left").at(0).get<int>();
    request.sdxlSize.cropLeft = sizes.at("crop_coords_top_left").at(1).get<int>();
    request.sdxlSize.targetHeight = sizes.at("target_size_as_tuple").at(0).get<int>();
    request.sdxlSize.targetWidth = sizes.at("target_size_as_tuple").at(1).get<int>();

    Recorder recorder;
    celerity::JobControl control;
    control.observer = &recorder;
    const auto result = pipeline.run(request, control);
    QCOMPARE(static_cast<int>(result.images.size()), request.batchSize);
    qInfo("sdxl e2e: %.2f s with loading",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    // Widths of the parts inside context and y, from the stored tensors.
    const auto clipLWidth = golden->tensor("clip_l.hidden_cond").size(-1);
    const auto pooledWidth = golden->tensor("clip_g.pooled_cond").size(-1);
    const auto condContext = recorder.get("cond.context");
    const auto condY = recorder.get("cond.y");
    // sgm stores the size embeddings in the order of its embedders.
    const std::vector<std::string> sizeEmbedders = {"original_size_as_tuple", "crop_coords_top_left",
                                                    "target_size_as_tuple"};

    // The encodings of the negative prompt before sgm zeroes them (ComfyUI's habit).
    celerity::ConditioningOptions encodeOptions;
    encodeOptions.negative = true;
    encodeOptions.sdxlEmptyNegative = celerity::SdxlEmptyNegative::Encode;
    encodeOptions.sdxlSize = celerity::sdxlSizeFor(request, request.width, request.height);
    const auto negative = pipeline.conditioner().encodeTexts({request.negativePrompt},
                                                             celerity::defaultPromptParser(), encodeOptions);

    std::vector<Check> checks;
    for (const auto& info : golden->tensors()) {
      const auto& key = info.name;
      const auto ref = golden->tensor(key);
      if (key == "clip_l.tokens_cond") {
        checks.push_back({key, recorder.get("cond.tokens"), ref});
      } else if (key == "clip_l.tokens_uncond") {
        checks.push_back({key, recorder.get("uncond.tokens"), ref});
      } else if (key == "clip_g.tokens_cond") {
        checks.push_back({key, recorder.get("cond.open_clip_tokens"), ref});
      } else if (key == "clip_g.tokens_uncond") {
        checks.push_back({key, recorder.get("uncond.open_clip_tokens"), ref});
      } else if (key == "clip_l.hidden_cond") {
        checks.push_back({key, condContext.narrow(2, 0, clipLWidth), ref});
      } else if (key == "clip_g.penultimate_cond") {
        checks.push_back({key, condContext.narrow(2, clipLWidth, condContext.size(2) - clipLWidth), ref});
      } else if (key == "clip_g.pooled_cond") {
        checks.push_back({key, recorder.get("cond.pooled"), ref});
      } else if (key == "clip_l.hidden_uncond_encoded") {
        checks.push_back({key, negative.context.narrow(2, 0, clipLWidth), ref});
      } else if (key == "clip_g.penultimate_uncond_encoded") {
        checks.push_back({key, negative.context.narrow(2, clipLWidth, negative.context.size(2) - clipLWidth), ref});
      } else if (key == "clip_g.pooled_uncond_encoded") {
        checks.push_back({key, negative.pooled, ref});
      } else if (key == "size_ids") {
        checks.push_back({key, recorder.get("cond.size_ids"), ref});
      } else if (startsWith(key, "size_emb.")) {
        const auto name = key.substr(std::string("size_emb.").size());
        const auto it = std::find(sizeEmbedders.begin(), sizeEmbedders.end(), name);
        QVERIFY2(it != sizeEmbedders.end(), ("unknown size embedder " + key).c_str());
        const auto index = it - sizeEmbedders.begin();
        const auto width = ref.size(-1);
        checks.push_back({key, condY.narrow(1, pooledWidth + index * width, width), ref});
      } else if (key == "denoiser.sigmas") {
        checks.push_back({key, recorder.get("schedule.sigmas"), ref});
      } else if (isPipelineName(key)) {
        checks.push_back({key, recorder.get(key), ref});
      } else {
        QFAIL(("no pipeline counterpart for golden tensor " + key).c_str());
      }
    }
    requireStepsCovered(*golden, recorder, request.steps);
    verifyAll(checks, "e2e_sdxl_tiny");

    // The stages the profiler will see, in order.
    QVERIFY(!recorder.stages.empty());
    QCOMPARE(recorder.stages.front(), std::string(celerity::stages::kTextEncode));
    QCOMPARE(recorder.stages.back(), std::string(celerity::stages::kVaeDecode));
    QCOMPARE(static_cast<int>(std::count(recorder.stages.begin(), recorder.stages.end(),
                                         std::string(celerity::stages::kSampleStep))),
             request.steps);
  }
};

QTEST_GUILESS_MAIN(TestE2eGolden)
#include "tst_e2e_golden.moc"
