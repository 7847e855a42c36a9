// LoRA files, key mapping, merging and runtime application on tiny models built here, with
// LoRA files written by the test: every adapter kind against its formula, exact restore,
// re-weighting by differences, runtime = merged, unmatched keys, names that leave the LoRA
// folders, base-model refusal, hashes and metadata.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <QTemporaryDir>
#include <QTest>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "lora/LoraFile.h"
#include "lora/LoraKeyMap.h"
#include "lora/LoraPatcher.h"
#include "lora/LoraResolver.h"
#include "lora/PromptLoras.h"
#include "lora/Sha256.h"

using namespace celerity;
namespace fs = std::filesystem;

namespace {

using Tensors = std::vector<std::pair<std::string, at::Tensor>>;

// A safetensors file written byte by byte (F32 only), independent of the engine's writer.
void writeSafetensors(const fs::path& path, const Tensors& tensors,
                      const std::map<std::string, std::string>& metadata = {}) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  std::vector<at::Tensor> data;
  for (const auto& [name, tensor] : tensors) {
    const auto t = tensor.to(at::kFloat).contiguous();
    const auto bytes = static_cast<std::uint64_t>(t.numel()) * 4;
    header[name] = {{"dtype", "F32"}, {"shape", t.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(t);
  }
  auto text = header.dump();
  while (text.size() % 8 != 0) text += ' ';
  std::ofstream out(path, std::ios::binary);
  std::uint64_t length = text.size();
  for (int i = 0; i < 8; ++i) out.put(static_cast<char>((length >> (8 * i)) & 0xff));
  out << text;
  for (const auto& t : data) out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * 4));
}

at::Tensor randn(std::vector<std::int64_t> shape, double scale = 0.3) { return at::randn(shape) * scale; }

void randomize(torch::nn::Module& module) {
  c10::InferenceMode guard;
  for (auto& item : module.named_parameters(true)) {
    auto p = item.value();
    const auto& name = item.key();
    if (p.dim() >= 2) {
      p.copy_(at::randn(p.sizes()) / std::sqrt(double(p.numel() / p.size(0))));
    } else {
      const bool normWeight = name.find("norm") != std::string::npos && name.size() > 7 &&
                              name.compare(name.size() - 7, 7, ".weight") == 0;
      p.copy_(at::randn(p.sizes()) * 0.1 + (normWeight ? 1.0 : 0.0));
    }
  }
}

UNetConfig tinyUNetConfig() {
  UNetConfig c;
  c.modelChannels = 32;
  c.timeEmbedDim = 128;
  c.channelMult = {1, 2};
  c.numResBlocks = 1;
  c.inputDepths = {1, 0};
  c.outputDepths = {0, 0, 1, 1};
  c.middleDepth = 1;
  c.contextDim = 32;
  return c;
}

ClipTextConfig tinyClipConfig() {
  ClipTextConfig c;
  c.width = 32;
  c.layers = 2;
  c.heads = 4;
  c.mlpWidth = 64;
  c.vocab = 1000;
  return c;
}

OpenClipTextConfig tinyOpenClipConfig() {
  OpenClipTextConfig c;
  c.width = 32;
  c.layers = 1;
  c.heads = 4;
  c.mlpWidth = 64;
  c.vocab = 1000;
  c.projectionDim = 32;
  return c;
}

LoraModelParts tinyModel(ModelFamily family = ModelFamily::SD1) {
  UNetModel unet(tinyUNetConfig());
  ClipTextModel clip(tinyClipConfig());
  randomize(*unet);
  randomize(*clip);
  OpenClipTextModel openClip{nullptr};
  if (family == ModelFamily::SDXL) {
    openClip = OpenClipTextModel(tinyOpenClipConfig());
    randomize(*openClip);
  }
  return LoraModelParts::standard(family, unet, clip, openClip);
}

std::map<std::string, at::Tensor> snapshot(const LoraModelParts& parts) {
  std::map<std::string, at::Tensor> values;
  for (auto component : {LoraComponent::UNet, LoraComponent::ClipL, LoraComponent::OpenClipG}) {
    if (auto* module = parts.module(component)) {
      for (const auto& item : module->named_parameters(true)) {
        values[parts.prefix(component) + item.key()] = item.value().detach().clone();
      }
    }
  }
  return values;
}

at::Tensor weightOf(const LoraModelParts& parts, const std::string& checkpointKey) {
  return snapshot(parts).at(checkpointKey);
}

const std::string kUNet = "model.diffusion_model.";
const std::string kClip = "cond_stage_model.transformer.text_model.";

// A plain LoRA for a Linear weight [out, in].
Tensors linearLora(const std::string& module, std::int64_t out, std::int64_t in, std::int64_t rank, double alpha) {
  return {{module + ".lora_down.weight", randn({rank, in})},
          {module + ".lora_up.weight", randn({out, rank})},
          {module + ".alpha", at::full({}, alpha)}};
}

Tensors concat(std::initializer_list<Tensors> parts) {
  Tensors all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

at::Tensor tensorIn(const Tensors& tensors, const std::string& name) {
  for (const auto& [n, t] : tensors) {
    if (n == name) return t;
  }
  throw std::runtime_error("no tensor " + name);
}

double maxRelDiff(const at::Tensor& a, const at::Tensor& b) {
  const auto ref = b.abs().max().item<double>();
  return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>() / std::max(ref, 1e-12);
}

LoraApplyOptions merged(bool cache = true) {
  LoraApplyOptions o;
  o.mergeCache = cache;
  return o;
}

LoraApplyOptions runtime() {
  LoraApplyOptions o;
  o.unmerged = true;
  return o;
}

// UNet and CLIP outputs of the tiny model on fixed inputs.
std::pair<at::Tensor, at::Tensor> outputs(LoraModelParts parts) {  // holders share the modules
  c10::InferenceMode guard;
  at::manual_seed(7);
  const auto x = at::randn({1, 4, 16, 16});
  const auto t = at::full({1}, 500.0);
  const auto context = at::randn({1, 77, 32});
  const auto tokens = at::randint(1, 999, {1, 77}, at::kLong);
  auto eps = parts.unet->forward(x, t, context);
  auto hidden = parts.clipL->forward(tokens).lastHidden;
  return {eps, hidden};
}

}  // namespace

class TestLora : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  fs::path file(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

  fs::path write(const std::string& name, const Tensors& tensors, const std::map<std::string, std::string>& meta = {}) {
    const auto path = file(name);
    writeSafetensors(path, tensors, meta);
    return path;
  }

  // Merges `tensors` at multiplier m and compares `checkpointKey` with W0 + m·expectedDelta;
  // then checks that the runtime mode gives the merged outputs.
  void checkKind(const std::string& label, const Tensors& tensors, const std::string& checkpointKey,
                 const at::Tensor& expectedDelta, double m = 0.7) {
    auto parts = tinyModel();
    const auto path = write(label + ".safetensors", tensors);
    const auto before = weightOf(parts, checkpointKey);
    LoraPatcher patcher(parts);
    const auto report = patcher.apply({{path, label, m, m}}, merged());
    const auto& unmatched = report.files.at(0).unmatched;
    QVERIFY2(unmatched.empty(), (label + ": " + (unmatched.empty() ? "" : unmatched.front())).c_str());
    QCOMPARE(report.files[0].modulesMatched, 1);
    const auto after = weightOf(parts, checkpointKey);
    const auto expected = before + m * expectedDelta.reshape(before.sizes());
    QVERIFY2(maxRelDiff(after, expected) < 1e-5, label.c_str());

    const auto mergedOut = outputs(parts);
    patcher.apply({{path, label, m, m}}, runtime());
    QVERIFY2(at::equal(weightOf(parts, checkpointKey), before), (label + ": runtime mode keeps W0").c_str());
    const auto runtimeOut = outputs(parts);
    QVERIFY2(maxRelDiff(runtimeOut.first, mergedOut.first) < 1e-4, (label + ": runtime UNet").c_str());
    QVERIFY2(maxRelDiff(runtimeOut.second, mergedOut.second) < 1e-4, (label + ": runtime CLIP").c_str());
    QVERIFY2(maxRelDiff(patcher.effectiveWeight(checkpointKey), expected) < 1e-5, label.c_str());
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    at::manual_seed(0);
  }

  void sha256KnownVectors() {
    Sha256 empty;
    QCOMPARE(empty.hexDigest(), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    Sha256 abc;
    abc.update("abc", 3);
    QCOMPARE(abc.hexDigest(), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    Sha256 million;
    const std::string block(1000, 'a');
    for (int i = 0; i < 1000; ++i) million.update(block.data(), block.size());
    QCOMPARE(million.hexDigest(), std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
  }

  void keyMapResolvesEveryNamingStyle() {
    const auto parts = tinyModel(ModelFamily::SDXL);
    const LoraKeyMap map(parts);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q",
         kUNet + "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"},
        {"lora_unet_input_blocks_1_1_transformer_blocks_0_attn1_to_q",
         kUNet + "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"},
        {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k",
         kUNet + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight"},
        {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_out",
         kUNet + "input_blocks.1.1.transformer_blocks.0.attn1.to_out.0.weight"},
        {"lycoris_mid_block_attentions_0_proj_in", kUNet + "middle_block.1.proj_in.weight"},
        {"lora_unet_down_blocks_0_resnets_0_conv1", kUNet + "input_blocks.1.0.in_layers.2.weight"},
        {"lora_unet_down_blocks_0_downsamplers_0_conv", kUNet + "input_blocks.2.0.op.weight"},
        {"lora_unet_mid_block_resnets_1_time_emb_proj", kUNet + "middle_block.2.emb_layers.1.weight"},
        // Output side: up_blocks.0 is the deepest level; its upsampler follows the ResBlock
        // directly (no attention there), the next level's blocks have one.
        {"lora_unet_up_blocks_0_upsamplers_0_conv", kUNet + "output_blocks.1.1.conv.weight"},
        {"lora_unet_up_blocks_1_attentions_1_proj_out", kUNet + "output_blocks.3.1.proj_out.weight"},
        {"lora_unet_up_blocks_1_resnets_0_conv_shortcut", kUNet + "output_blocks.2.0.skip_connection.weight"},
        {"lora_unet_time_embedding_linear_2", kUNet + "time_embed.2.weight"},
        {"lora_unet_conv_out", kUNet + "out.2.weight"},
        {"lora_te_text_model_encoder_layers_1_mlp_fc2",
         "conditioner.embedders.0.transformer.text_model.encoder.layers.1.mlp.fc2.weight"},
        {"text_encoder.text_model.encoder.layers.0.self_attn.q_proj",
         "conditioner.embedders.0.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight"},
        {"text_encoder_2.text_model.encoder.layers.0.mlp.fc1",
         "conditioner.embedders.1.model.transformer.resblocks.0.mlp.c_fc.weight"},
    };
    for (const auto& [name, key] : cases) {
      const auto* target = map.find(name);
      QVERIFY2(target != nullptr, name.c_str());
      QCOMPARE(target->checkpointKey, key);
    }
    QVERIFY(map.find("lora_unet_down_blocks_5_attentions_0_proj_in") == nullptr);
    QVERIFY(map.find("lora_te2_text_model_encoder_layers_7_mlp_fc1") == nullptr);

    // OpenCLIP: q/k/v are row slices of the fused projection, text_projection is transposed.
    for (int i = 0; i < 3; ++i) {
      const std::string name = std::string("lora_te2_text_model_encoder_layers_0_self_attn_") + "qkv"[i] + "_proj";
      const auto* target = map.find(name);
      QVERIFY2(target != nullptr, name.c_str());
      QCOMPARE(target->checkpointKey, std::string("conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight"));
      QCOMPARE(target->rowBegin, std::int64_t(32 * i));
      QCOMPARE(target->rowEnd, std::int64_t(32 * (i + 1)));
      QCOMPARE(target->shape, (std::vector<std::int64_t>{32, 32}));
    }
    const auto* projection = map.find("lora_te2_text_projection");
    QVERIFY(projection != nullptr && projection->transposed);
  }

  void loraLinear() {
    const auto t = linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k", 32, 32, 4, 2.0);
    const auto delta = at::mm(tensorIn(t, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight"),
                              tensorIn(t, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight")) * 0.5;
    checkKind("lora_linear", t, kUNet + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", delta);
  }

  void loraTextEncoderPeft() {
    const std::string m = "text_encoder.text_model.encoder.layers.1.self_attn.v_proj";
    const Tensors t = {{m + ".lora_A.weight", randn({2, 32})}, {m + ".lora_B.weight", randn({32, 2})}};
    // No alpha: scale 1.
    checkKind("peft", t, kClip + "encoder.layers.1.self_attn.v_proj.weight",
              at::mm(tensorIn(t, m + ".lora_B.weight"), tensorIn(t, m + ".lora_A.weight")));
  }

  void loconConv3x3WithStride() {
    const std::string m = "lora_unet_down_blocks_0_downsamplers_0_conv";
    const Tensors t = {{m + ".lora_down.weight", randn({4, 32, 3, 3})},
                       {m + ".lora_up.weight", randn({32, 4, 1, 1})},
                       {m + ".alpha", at::full({}, 1.0)}};
    // kohya's form: conv2d(down.permute(1,0,2,3), up).permute(1,0,2,3).
    const auto delta = at::conv2d(tensorIn(t, m + ".lora_down.weight").permute({1, 0, 2, 3}),
                                  tensorIn(t, m + ".lora_up.weight")).permute({1, 0, 2, 3}) * 0.25;
    checkKind("locon", t, kUNet + "input_blocks.2.0.op.weight", delta);
  }

  void loconTuckerMid() {
    const std::string m = "lora_unet_down_blocks_0_resnets_0_conv2";
    const Tensors t = {{m + ".lora_down.weight", randn({4, 32, 1, 1})},
                       {m + ".lora_mid.weight", randn({4, 4, 3, 3})},
                       {m + ".lora_up.weight", randn({32, 4, 1, 1})},
                       {m + ".alpha", at::full({}, 2.0)}};
    // up ∘ mid ∘ down as one kernel: Σ_{o,s} up[c,o] mid[o,s,:,:] down[s,i].
    const auto down = tensorIn(t, m + ".lora_down.weight").flatten(1);
    const auto up = tensorIn(t, m + ".lora_up.weight").flatten(1);
    const auto delta = at::einsum("co,oskl,si->cikl", {up, tensorIn(t, m + ".lora_mid.weight"), down}) * 0.5;
    checkKind("tucker", t, kUNet + "input_blocks.1.0.out_layers.3.weight", delta);
  }

  void loha() {
    const std::string m = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_ff_net_2";
    const Tensors t = {{m + ".hada_w1_a", randn({32, 3})}, {m + ".hada_w1_b", randn({3, 128})},
                       {m + ".hada_w2_a", randn({32, 3})}, {m + ".hada_w2_b", randn({3, 128})},
                       {m + ".alpha", at::full({}, 1.5)}};
    const auto delta = at::mm(tensorIn(t, m + ".hada_w1_a"), tensorIn(t, m + ".hada_w1_b")) *
                       at::mm(tensorIn(t, m + ".hada_w2_a"), tensorIn(t, m + ".hada_w2_b")) * 0.5;
    checkKind("loha", t, kUNet + "input_blocks.1.1.transformer_blocks.0.ff.net.2.weight", delta);
  }

  void lohaTuckerConv() {
    const std::string m = "lora_unet_down_blocks_0_resnets_0_conv1";
    const Tensors t = {{m + ".hada_w1_a", randn({2, 32})}, {m + ".hada_w1_b", randn({2, 32})},
                       {m + ".hada_t1", randn({2, 2, 3, 3})}, {m + ".hada_w2_a", randn({2, 32})},
                       {m + ".hada_w2_b", randn({2, 32})}, {m + ".hada_t2", randn({2, 2, 3, 3})},
                       {m + ".alpha", at::full({}, 2.0)}};
    const auto rebuild = [&](const char* tc, const char* a, const char* b) {
      return at::einsum("ijkl,jr,ip->prkl", {tensorIn(t, m + tc), tensorIn(t, m + b), tensorIn(t, m + a)});
    };
    const auto delta = rebuild(".hada_t1", ".hada_w1_a", ".hada_w1_b") * rebuild(".hada_t2", ".hada_w2_a", ".hada_w2_b");
    checkKind("loha_tucker", t, kUNet + "input_blocks.1.0.in_layers.2.weight", delta);
  }

  void lokr() {
    const std::string m = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_v";
    const Tensors t = {{m + ".lokr_w1", randn({4, 4})}, {m + ".lokr_w2_a", randn({8, 2})},
                       {m + ".lokr_w2_b", randn({2, 8})}, {m + ".alpha", at::full({}, 1.0)}};
    const auto w2 = at::mm(tensorIn(t, m + ".lokr_w2_a"), tensorIn(t, m + ".lokr_w2_b"));
    const auto delta = at::kron(tensorIn(t, m + ".lokr_w1"), w2) * 0.5;
    checkKind("lokr", t, kUNet + "input_blocks.1.1.transformer_blocks.0.attn1.to_v.weight", delta);
  }

  void lokrConvFullFactors() {
    const std::string m = "lora_unet_mid_block_resnets_0_conv1";
    const Tensors t = {{m + ".lokr_w1", randn({8, 4})}, {m + ".lokr_w2", randn({8, 16, 3, 3})}};
    const auto delta = at::kron(tensorIn(t, m + ".lokr_w1").unsqueeze(-1).unsqueeze(-1), tensorIn(t, m + ".lokr_w2"));
    checkKind("lokr_conv", t, kUNet + "middle_block.0.in_layers.2.weight", delta);
  }

  void fullDiffWithBias() {
    const std::string m = "lora_te_text_model_encoder_layers_0_mlp_fc1";
    const Tensors t = {{m + ".diff", randn({64, 32})}, {m + ".diff_b", randn({64})}};
    auto parts = tinyModel();
    const auto path = write("diff.safetensors", t);
    const auto bias0 = weightOf(parts, kClip + "encoder.layers.0.mlp.fc1.bias");
    checkKind("diff", t, kClip + "encoder.layers.0.mlp.fc1.weight", tensorIn(t, m + ".diff"));
    LoraPatcher patcher(parts);
    patcher.apply({{path, "diff", 0.5, 0.5}}, merged());
    QVERIFY(maxRelDiff(weightOf(parts, kClip + "encoder.layers.0.mlp.fc1.bias"), bias0 + 0.5 * tensorIn(t, m + ".diff_b")) < 1e-6);
    patcher.clear();
    QVERIFY(at::equal(weightOf(parts, kClip + "encoder.layers.0.mlp.fc1.bias"), bias0));
  }

  void dora() {
    const std::string m = "lora_unet_down_blocks_0_attentions_0_proj_out";
    const Tensors t = {{m + ".lora_down.weight", randn({4, 32, 1, 1})},
                       {m + ".lora_up.weight", randn({32, 4, 1, 1})},
                       {m + ".alpha", at::full({}, 4.0)},
                       {m + ".dora_scale", at::rand({1, 32, 1, 1}) + 0.5}};
    // calc = W0 + ΔW, each input column renormalised to dora_scale; the patch is calc − W0.
    auto model = tinyModel();
    const auto path = write("dora.safetensors", t);
    const auto before = weightOf(model, kUNet + "input_blocks.1.1.proj_out.weight");
    auto expectedCalc = before + at::mm(tensorIn(t, m + ".lora_up.weight").flatten(1),
                                        tensorIn(t, m + ".lora_down.weight").flatten(1)).reshape(before.sizes());
    expectedCalc = expectedCalc * tensorIn(t, m + ".dora_scale") / expectedCalc.pow(2).sum({0, 2, 3}, true).sqrt();
    LoraPatcher patcher(model);
    patcher.apply({{path, "dora", 0.6, 0.6}}, merged());
    const auto after = weightOf(model, kUNet + "input_blocks.1.1.proj_out.weight");
    QVERIFY(maxRelDiff(after, before + 0.6 * (expectedCalc - before)) < 1e-5);
    patcher.apply({{path, "dora", 1.0, 1.0}}, merged());
    QVERIFY(maxRelDiff(weightOf(model, kUNet + "input_blocks.1.1.proj_out.weight"), expectedCalc) < 1e-5);
    // Runtime mode adds the same difference in the forward pass.
    const auto mergedOut = outputs(model);
    patcher.apply({{path, "dora", 1.0, 1.0}}, runtime());
    QVERIFY(at::equal(weightOf(model, kUNet + "input_blocks.1.1.proj_out.weight"), before));
    QVERIFY(maxRelDiff(outputs(model).first, mergedOut.first) < 1e-4);
  }

  void applyThenRemoveRestoresBitExactly() {
    for (const bool cache : {true, false}) {
      for (const bool unmerged : {false, true}) {
        auto parts = tinyModel(ModelFamily::SDXL);
        const auto original = snapshot(parts);
        const auto a = write("restore_a.safetensors",
                             concat({linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", 32, 32, 4, 3.0),
                                     linearLora("lora_te1_text_model_encoder_layers_0_self_attn_q_proj", 32, 32, 2, 1.0),
                                     linearLora("lora_te2_text_model_encoder_layers_0_self_attn_k_proj", 32, 32, 2, 1.0),
                                     linearLora("lora_te2_text_projection", 32, 32, 2, 1.0)}));
        const auto b = write("restore_b.safetensors",
                             {{"lora_unet_down_blocks_0_resnets_0_norm1.diff", randn({32})},
                              {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.hada_w1_a", randn({32, 2})},
                              {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.hada_w1_b", randn({2, 32})},
                              {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.hada_w2_a", randn({32, 2})},
                              {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.hada_w2_b", randn({2, 32})}});
        LoraPatcher patcher(parts);
        LoraApplyOptions options;
        options.mergeCache = cache;
        options.unmerged = unmerged;
        patcher.apply({{a, "a", 0.8, 1.3}, {b, "b", 1.0, 0.6}}, options);
        patcher.apply({{a, "a", 0.3, 0.9}}, options);
        const auto report = patcher.apply({}, options);
        QVERIFY(report.tensorsTouched > 0);
        for (const auto& [key, value] : snapshot(parts)) {
          QVERIFY2(at::equal(value, original.at(key)), key.c_str());
        }
        QCOMPARE(patcher.backupBytes(), std::size_t(0));
        QVERIFY(patcher.stateId().empty());
      }
    }
  }

  void halfWeightsAccumulateInFloatAndRestoreExactly() {
    auto parts = tinyModel();
    parts.unet->to(at::kHalf);
    parts.clipL->to(at::kHalf);
    const auto original = snapshot(parts);
    const std::string m = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k";
    const auto t = linearLora(m, 32, 32, 4, 2.0);
    const auto path = write("half.safetensors", t);
    const auto key = kUNet + "input_blocks.1.1.transformer_blocks.0.attn1.to_k.weight";
    LoraPatcher patcher(parts);
    patcher.apply({{path, "half", 0.9, 0.9}}, merged());
    const auto delta = at::mm(tensorIn(t, m + ".lora_up.weight"), tensorIn(t, m + ".lora_down.weight")) * 0.5;
    // W0 + m·ΔW computed in fp32, rounded once to half precision.
    const auto expected = (original.at(key).to(at::kFloat) + 0.9 * delta).to(at::kHalf).to(at::kFloat);
    QVERIFY(maxRelDiff(weightOf(parts, key).to(at::kFloat), expected) < 1e-3);
    QCOMPARE(weightOf(parts, key).scalar_type(), at::kHalf);
    patcher.apply({{path, "half", 0.4, 0.4}}, merged());
    patcher.apply({}, merged());
    for (const auto& [name, value] : snapshot(parts)) QVERIFY2(at::equal(value, original.at(name)), name.c_str());
  }

  void reweightByDifferenceEqualsFreshMerge() {
    auto parts = tinyModel();
    const auto a = write("rw_a.safetensors",
                         concat({linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_q", 32, 32, 4, 2.0),
                                 linearLora("lora_te_text_model_encoder_layers_1_mlp_fc2", 32, 64, 4, 2.0)}));
    const auto b = write("rw_b.safetensors",
                         linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_q", 32, 32, 2, 1.0));
    LoraPatcher patcher(parts);
    patcher.apply({{a, "a", 0.5, 0.5}, {b, "b", 1.0, 1.0}}, merged(true));
    const auto report = patcher.apply({{a, "a", 0.9, -0.4}, {b, "b", 1.0, 1.0}}, merged(true));
    QCOMPARE(report.deltasComputed, 0);  // the merge cache had every ΔW
    QCOMPARE(report.deltasReused, 2);
    QCOMPARE(report.tensorsTouched, 2);
    const auto viaDelta = snapshot(parts);

    patcher.clear();
    patcher.apply({{a, "a", 0.9, -0.4}, {b, "b", 1.0, 1.0}}, merged(false));
    for (const auto& [key, value] : snapshot(parts)) {
      QVERIFY2((value - viaDelta.at(key)).abs().max().item<double>() <= 1e-6, key.c_str());
    }
  }

  void removingOneOfThreeTouchesOnlyItsLayers() {
    auto parts = tinyModel();
    const auto a = write("three_a.safetensors",
                         linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", 32, 32, 4, 4.0));
    const auto b = write("three_b.safetensors",
                         concat({linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k", 32, 32, 4, 4.0),
                                 linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_v", 32, 32, 4, 4.0)}));
    const auto c = write("three_c.safetensors",
                         linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_v", 32, 32, 4, 4.0));
    LoraPatcher patcher(parts);
    patcher.apply({{a, "a", 1, 1}, {b, "b", 1, 1}, {c, "c", 1, 1}}, merged());
    const auto before = snapshot(parts);
    const auto report = patcher.apply({{a, "a", 1, 1}, {c, "c", 1, 1}}, merged());
    QCOMPARE(report.tensorsTouched, 2);   // to_k (restored) and to_v (b's share removed)
    QCOMPARE(report.tensorsRestored, 1);
    QCOMPARE(report.deltasComputed, 0);
    const auto after = snapshot(parts);
    const std::string block = kUNet + "input_blocks.1.1.transformer_blocks.0.attn1.";
    for (const auto& [key, value] : after) {
      if (key == block + "to_k.weight" || key == block + "to_v.weight") continue;
      QVERIFY2(at::equal(value, before.at(key)), key.c_str());
    }
    QVERIFY(!at::equal(after.at(block + "to_v.weight"), before.at(block + "to_v.weight")));
  }

  void runtimeModeSwitchesBack() {
    auto parts = tinyModel();
    const auto original = snapshot(parts);
    const auto a = write("switch.safetensors",
                         concat({linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_ff_net_0_proj", 256, 32, 4, 4.0),
                                 linearLora("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 32, 4, 4.0),
                                 {{"lora_unet_down_blocks_0_resnets_0_norm1.diff", randn({32})}}}));
    LoraPatcher patcher(parts);
    patcher.apply({{a, "a", 0.7, 0.7}}, merged());
    const auto mergedOut = outputs(parts);
    patcher.apply({{a, "a", 0.7, 0.7}}, runtime());
    // Layers keep W0 (only the norm, no Linear / Conv2d, is merged).
    const auto ff = kUNet + "input_blocks.1.1.transformer_blocks.0.ff.net.0.proj.weight";
    QVERIFY(at::equal(weightOf(parts, ff), original.at(ff)));
    const auto runtimeOut = outputs(parts);
    QVERIFY(maxRelDiff(runtimeOut.first, mergedOut.first) < 1e-4);
    QVERIFY(maxRelDiff(runtimeOut.second, mergedOut.second) < 1e-4);
    patcher.apply({{a, "a", 0.7, 0.7}}, merged());
    QVERIFY(maxRelDiff(outputs(parts).first, mergedOut.first) < 1e-5);
    patcher.clear();
    for (const auto& [key, value] : snapshot(parts)) QVERIFY2(at::equal(value, original.at(key)), key.c_str());
  }

  void openClipSliceAndTransposedProjection() {
    auto parts = tinyModel(ModelFamily::SDXL);
    const auto k = linearLora("lora_te2_text_model_encoder_layers_0_self_attn_k_proj", 32, 32, 2, 2.0);
    const auto p = linearLora("lora_te2_text_projection", 32, 32, 2, 2.0);
    const auto path = write("te2.safetensors", concat({k, p}));
    const std::string g = "conditioner.embedders.1.model.";
    const auto inProj = weightOf(parts, g + "transformer.resblocks.0.attn.in_proj_weight");
    const auto projection = weightOf(parts, g + "text_projection");
    LoraPatcher patcher(parts);
    patcher.apply({{path, "te2", 1.0, 0.0}}, merged());
    const auto dk = at::mm(tensorIn(k, "lora_te2_text_model_encoder_layers_0_self_attn_k_proj.lora_up.weight"),
                           tensorIn(k, "lora_te2_text_model_encoder_layers_0_self_attn_k_proj.lora_down.weight"));
    auto expected = inProj.clone();
    expected.narrow(0, 32, 32).add_(dk);
    QVERIFY(maxRelDiff(weightOf(parts, g + "transformer.resblocks.0.attn.in_proj_weight"), expected) < 1e-6);
    QVERIFY(at::equal(weightOf(parts, g + "transformer.resblocks.0.attn.in_proj_weight").narrow(0, 0, 32),
                      inProj.narrow(0, 0, 32)));
    const auto dp = at::mm(tensorIn(p, "lora_te2_text_projection.lora_up.weight"),
                           tensorIn(p, "lora_te2_text_projection.lora_down.weight"));
    QVERIFY(maxRelDiff(weightOf(parts, g + "text_projection"), projection + dp.t()) < 1e-6);
  }

  void unmatchedKeysAreReported() {
    auto parts = tinyModel();
    const auto path = write("unmatched.safetensors",
                            concat({linearLora("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", 32, 32, 2, 1.0),
                                    linearLora("lora_unet_down_blocks_7_attentions_0_proj_in", 32, 32, 2, 1.0),
                                    linearLora("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 48, 2, 1.0),
                                    {{"something.else", randn({3})},
                                     {"lora_unet_mid_block_attentions_0_proj_in.alpha", at::full({}, 1.0)}}}));
    LoraPatcher patcher(parts);
    const auto report = patcher.apply({{path, "odd", 1, 1}}, merged());
    const auto& unmatched = report.files.at(0).unmatched;
    QCOMPARE(report.files[0].modulesMatched, 1);
    const auto has = [&](const std::string& prefix) {
      return std::any_of(unmatched.begin(), unmatched.end(), [&](const std::string& u) { return u.rfind(prefix, 0) == 0; });
    };
    QVERIFY(has("lora_unet_down_blocks_7_attentions_0_proj_in"));
    QVERIFY(has("lora_te_text_model_encoder_layers_0_mlp_fc1 ("));  // shape does not fit
    QVERIFY(has("something.else"));
    QVERIFY(has("lora_unet_mid_block_attentions_0_proj_in.alpha"));  // alpha without factors
    QCOMPARE(unmatched.size(), std::size_t(4));
    QCOMPARE(report.unmatchedKeys().front().rfind("odd: ", 0), std::size_t(0));
  }

  void otherBaseModelIsRefused() {
    auto parts = tinyModel();
    const auto original = snapshot(parts);
    const auto good = write("good.safetensors", linearLora("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 32, 2, 1.0));
    const auto byMeta = write("xl_meta.safetensors", linearLora("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 32, 2, 1.0),
                              {{"ss_base_model_version", "sdxl_base_v1-0"}});
    const auto byKeys = write("xl_keys.safetensors", linearLora("lora_te2_text_model_encoder_layers_0_mlp_fc1", 64, 32, 2, 1.0));
    LoraPatcher patcher(parts);
    for (const auto& path : {byMeta, byKeys}) {
      try {
        patcher.apply({{good, "good", 1, 1}, {path, "xl", 1, 1}}, merged());
        QFAIL("an SDXL LoRA was applied to an SD 1.x model");
      } catch (const CelerityError& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        QCOMPARE(e.error().where, path.string());
        QVERIFY(e.error().message.find("SDXL") != std::string::npos);
      }
    }
    for (const auto& [key, value] : snapshot(parts)) QVERIFY2(at::equal(value, original.at(key)), key.c_str());
    QCOMPARE(LoraFile::open(good)->base(), LoraBase::Unknown);
  }

  void pickleIsRefused() {
    const auto path = file("pickled.pt");
    std::ofstream(path, std::ios::binary) << "\x80\x02}q\x00.";
    LoraPatcher patcher(tinyModel());
    try {
      patcher.apply({{path, "pickled", 1, 1}}, merged());
      QFAIL("a pickle was read");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::UnsafeFormat);
    }
  }

  void stateIdFollowsTextEncoderState() {
    auto parts = tinyModel();
    const auto path = write("state.safetensors",
                            concat({linearLora("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 32, 2, 1.0),
                                    linearLora("lora_unet_down_blocks_0_attentions_0_proj_in", 32, 32, 2, 1.0)}));
    LoraPatcher patcher(parts);
    QVERIFY(patcher.stateId().empty());
    patcher.apply({{path, "s", 0.5, 1.0}}, merged());
    const auto first = patcher.stateId();
    QVERIFY(!first.empty());
    auto report = patcher.apply({{path, "s", 0.5, 0.2}}, merged());  // UNet only
    QVERIFY(!report.textEncoderChanged && report.unetChanged);
    QCOMPARE(patcher.stateId(), first);
    report = patcher.apply({{path, "s", 0.8, 0.2}}, merged());
    QVERIFY(report.textEncoderChanged);
    QVERIFY(patcher.stateId() != first);
    patcher.apply({{path, "s", 0.5, 1.0}}, merged());
    QCOMPARE(patcher.stateId(), first);
    patcher.apply({{path, "s", 0.0, 1.0}}, merged());
    QVERIFY(patcher.stateId().empty());
  }

  void fileMetadataAndHash() {
    nlohmann::json tags = {{"10_cat", {{"cat", 12}, {" tabby", 3}}}, {"5_cat", {{"cat", 4}, {"orange", 9}}}};
    const auto path = write("meta.safetensors", linearLora("lora_unet_down_blocks_0_attentions_0_proj_in", 32, 32, 4, 2.0),
                            {{"ss_base_model_version", "sd_v1"}, {"ss_network_dim", "4"}, {"ss_network_alpha", "2.0"},
                             {"ss_output_name", "catlora"}, {"ss_tag_frequency", tags.dump()}});
    const auto lora = LoraFile::open(path);
    QCOMPARE(lora->base(), LoraBase::SD1);
    QCOMPARE(*lora->metadata().networkDim, std::int64_t(4));
    QCOMPARE(*lora->metadata().networkAlpha, 2.0);
    QCOMPARE(lora->metadata().outputName, std::string("catlora"));
    const auto& words = lora->metadata().triggerWords;
    QCOMPARE(words.size(), std::size_t(3));
    QCOMPARE(words[0], (std::pair<std::string, std::int64_t>("cat", 16)));
    QCOMPARE(words[1].first, std::string("orange"));
    QCOMPARE(words[2].first, std::string("tabby"));
    QCOMPARE(lora->rank(), std::int64_t(4));
    QCOMPARE(lora->adapters().at(0).scale(), 0.5);

    // addnet hash: SHA-256 of everything after the 8 + N header bytes.
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    Sha256 reference;
    reference.update(bytes.data() + 8 + n, bytes.size() - 8 - n);
    const auto full = reference.hexDigest();
    QCOMPARE(lora->hash(), full);
    QCOMPARE(lora->shortHash(), full.substr(0, 12));

    const auto withHash = write("hashed.safetensors", linearLora("lora_unet_down_blocks_0_attentions_0_proj_in", 32, 32, 4, 2.0),
                                {{"sshs_model_hash", "abcdef0123456789"}});
    QCOMPARE(LoraFile::open(withHash)->shortHash(), std::string("abcdef012345"));
  }

  void resolverStaysInsideFolders() {
    const auto root = file("loras");
    fs::create_directories(root / "styles" / "deep");
    fs::create_directories(file("outside"));
    const auto detail = root / "styles" / "detail.safetensors";
    const auto deep = root / "styles" / "deep" / "detail.safetensors";
    writeSafetensors(detail, linearLora("lora_unet_x", 4, 4, 1, 1.0));
    writeSafetensors(deep, linearLora("lora_unet_x", 4, 4, 1, 1.0));
    writeSafetensors(file("outside") / "secret.safetensors", linearLora("lora_unet_x", 4, 4, 1, 1.0));
    std::ofstream(root / "old.pt") << "x";
    LoraResolver resolver({root});
    QCOMPARE(resolver.resolve("detail"), detail);  // the shallower of two
    QCOMPARE(resolver.resolve("styles/deep/detail"), deep);
    QCOMPARE(resolver.resolve("detail.safetensors"), detail);
    for (const std::string bad : {"../outside/secret", "styles/../../outside/secret", "..", "/tmp/secret",
                                  "\\\\server\\share\\x", "C:secret", ""}) {
      try {
        resolver.resolve(bad);
        QFAIL(("resolved " + bad).c_str());
      } catch (const CelerityError& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
      }
    }
    try {
      resolver.resolve("secret");
      QFAIL("found a file outside the folders");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      QVERIFY(e.error().message.find(root.string()) != std::string::npos);
    }
    try {
      resolver.resolve("old");
      QFAIL("resolved a pickle");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::UnsafeFormat);
    }
    // A file added later is found without refresh().
    const auto added = root / "added.safetensors";
    writeSafetensors(added, linearLora("lora_unet_x", 4, 4, 1, 1.0));
    QCOMPARE(resolver.resolve("added"), added);
    QCOMPARE(resolver.list().size(), std::size_t(3));
  }

  void promptTagsBecomeTheSet() {
    const auto root = file("prompt_loras");
    fs::create_directories(root);
    const auto path = root / "cat.safetensors";
    writeSafetensors(path, concat({linearLora("lora_te_text_model_encoder_layers_0_mlp_fc1", 64, 32, 2, 1.0),
                                   linearLora("lora_unet_down_blocks_0_attentions_0_proj_in", 32, 32, 2, 1.0)}));
    LoraResolver resolver({root});
    const auto selections = promptLoraSelections("a <lora:cat:0.5:0.7> photo <lyco:cat:te=0.25>", resolver);
    QCOMPARE(selections.size(), std::size_t(2));
    QCOMPARE(selections[0].file, path);
    QCOMPARE(selections[0].teWeight, 0.5);
    QCOMPARE(selections[0].unetWeight, 0.7);
    QCOMPARE(selections[1].teWeight, 0.25);
    QCOMPARE(selections[1].unetWeight, 0.25);  // A1111: unet defaults to te

    auto parts = tinyModel();
    LoraPatcher patcher(parts);
    Request request;
    request.prompt = "a <lora:cat:0.5:0.7> photo";
    const auto result = applyPromptLoras(request, resolver, patcher, merged());
    QCOMPARE(result.extraGenerationParams.size(), std::size_t(1));
    QCOMPARE(result.extraGenerationParams[0].first, std::string("Lora hashes"));
    QCOMPARE(result.extraGenerationParams[0].second, "cat: " + LoraFile::open(path)->shortHash());
    request.prompt = "a photo";
    QVERIFY(applyPromptLoras(request, resolver, patcher, merged()).extraGenerationParams.empty());
    QVERIFY(patcher.stateId().empty());

    LoraApplyReport report;
    report.files.push_back({"we:ird,name", "a", "0123456789ab", LoraBase::SD1, 4, 1, {}});
    report.files.push_back({"other", "b", "ba9876543210", LoraBase::SD1, 4, 1, {}});
    QCOMPARE(loraHashesText(report), std::string("weirdname: 0123456789ab, other: ba9876543210"));
  }
};

QTEST_APPLESS_MAIN(TestLora)
#include "tst_lora.moc"
