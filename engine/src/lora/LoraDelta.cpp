#include "lora/LoraDelta.h"

#include "celerity/Error.h"

namespace celerity {
namespace {

at::Tensor f32(const at::Tensor& t, const at::Device& device) { return t.to(device, at::kFloat); }

std::string shapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

// Tucker rebuild "i j k l, j r, i p -> p r k l": core t, factors b (columns r) and a (columns p).
at::Tensor tucker(const at::Tensor& t, const at::Tensor& b, const at::Tensor& a) {
  return at::einsum("ijkl,jr,ip->prkl", {t, b, a});
}

// LoCon with a Tucker core: down [r, in, 1, 1] then mid [r', r, k, k] as one [r', in, k, k].
at::Tensor foldMid(const at::Tensor& down, const at::Tensor& mid) {
  const auto combined = at::mm(down.transpose(0, 1).flatten(1), mid.transpose(0, 1).flatten(1));
  return combined.reshape({down.size(1), mid.size(0), mid.size(2), mid.size(3)}).transpose(0, 1);
}

at::Tensor rawDelta(const LoraAdapter& a, const at::Device& device) {
  switch (a.kind) {
    case LoraAdapterKind::LoRA: {
      auto down = f32(a.down, device);
      if (a.mid.defined()) down = foldMid(down, f32(a.mid, device));
      return at::mm(f32(a.up, device).flatten(1), down.flatten(1));
    }
    case LoraAdapterKind::LoHa: {
      at::Tensor m1, m2;
      if (a.hadaT1.defined()) {
        m1 = tucker(f32(a.hadaT1, device), f32(a.hadaW1b, device), f32(a.hadaW1a, device));
        m2 = tucker(f32(a.hadaT2, device), f32(a.hadaW2b, device), f32(a.hadaW2a, device));
      } else {
        m1 = at::mm(f32(a.hadaW1a, device), f32(a.hadaW1b, device));
        m2 = at::mm(f32(a.hadaW2a, device), f32(a.hadaW2b, device));
      }
      return m1 * m2;
    }
    case LoraAdapterKind::LoKr: {
      auto w1 = a.lokrW1.defined() ? f32(a.lokrW1, device) : at::mm(f32(a.lokrW1a, device), f32(a.lokrW1b, device));
      at::Tensor w2;
      if (a.lokrW2.defined()) {
        w2 = f32(a.lokrW2, device);
      } else if (a.lokrT2.defined()) {
        w2 = tucker(f32(a.lokrT2, device), f32(a.lokrW2b, device), f32(a.lokrW2a, device));
      } else {
        w2 = at::mm(f32(a.lokrW2a, device), f32(a.lokrW2b, device));
      }
      while (w1.dim() < w2.dim()) w1 = w1.unsqueeze(-1);
      return at::kron(w1, w2);
    }
    case LoraAdapterKind::Full: return f32(a.diff, device);
    case LoraAdapterKind::Invalid: break;
  }
  throw CelerityError(ErrorCode::Internal, "adapter without a kind", a.module);
}

std::int64_t product(at::IntArrayRef shape, std::size_t from = 0) {
  std::int64_t n = 1;
  for (std::size_t i = from; i < shape.size(); ++i) n *= shape[i];
  return n;
}

}  // namespace

std::int64_t loraDeltaNumel(const LoraAdapter& a) {
  switch (a.kind) {
    case LoraAdapterKind::LoRA:
      if (a.mid.defined() && a.mid.dim() == 4 && a.down.dim() >= 2) {
        return a.up.size(0) * a.down.size(1) * a.mid.size(2) * a.mid.size(3);
      }
      return a.up.size(0) * product(a.down.sizes(), 1);
    case LoraAdapterKind::LoHa:
      if (a.hadaT1.defined() && a.hadaT1.dim() == 4) {
        return a.hadaW1a.size(1) * a.hadaW1b.size(1) * a.hadaT1.size(2) * a.hadaT1.size(3);
      }
      return a.hadaW1a.size(0) * a.hadaW1b.size(1);
    case LoraAdapterKind::LoKr: {
      const auto n1 = a.lokrW1.defined() ? a.lokrW1.numel() : a.lokrW1a.size(0) * a.lokrW1b.size(1);
      std::int64_t n2 = 0;
      if (a.lokrW2.defined()) {
        n2 = a.lokrW2.numel();
      } else if (a.lokrT2.defined() && a.lokrT2.dim() == 4) {
        n2 = a.lokrW2a.size(1) * a.lokrW2b.size(1) * a.lokrT2.size(2) * a.lokrT2.size(3);
      } else {
        n2 = a.lokrW2a.size(0) * a.lokrW2b.size(1);
      }
      return n1 * n2;
    }
    case LoraAdapterKind::Full: return a.diff.defined() ? a.diff.numel() : 0;
    case LoraAdapterKind::Invalid: break;
  }
  return 0;
}

at::Tensor loraWeightDelta(const LoraAdapter& adapter, at::IntArrayRef shape, const at::Device& device,
                           const at::Tensor& original) {
  if (!adapter.hasWeightDelta()) return {};
  auto delta = rawDelta(adapter, device);
  if (delta.numel() != product(shape)) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        std::string(loraAdapterKindName(adapter.kind)) + " difference of " +
                            std::to_string(delta.numel()) + " elements does not fit the weight " + shapeText(shape),
                        adapter.module);
  }
  delta = delta.reshape(shape);
  const auto scale = adapter.scale();
  if (scale != 1.0) delta = delta * scale;
  if (!adapter.doraScale.defined()) return delta.contiguous();

  // DoRA (ComfyUI weight_decompose): the merged weight's norm over every dim but 1, replaced
  // by dora_scale; the difference to W0 is what a multiplier scales.
  if (!original.defined()) {
    throw CelerityError(ErrorCode::Internal, "DoRA needs the original weight", adapter.module);
  }
  const auto w0 = original.to(device, at::kFloat).reshape(shape);
  auto calc = w0 + delta;
  const auto columns = calc.size(1);
  std::vector<std::int64_t> normShape(static_cast<std::size_t>(calc.dim()), 1);
  normShape[0] = columns;
  const auto norm = calc.transpose(0, 1).reshape({columns, -1}).norm(2, {1}, /*keepdim=*/true)
                        .reshape(normShape).transpose(0, 1);
  calc = calc * (f32(adapter.doraScale, device) / norm);
  if (calc.sizes() != w0.sizes()) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "dora_scale " + shapeText(adapter.doraScale.sizes()) + " does not fit the weight " +
                            shapeText(shape),
                        adapter.module);
  }
  return (calc - w0).contiguous();
}

at::Tensor loraBiasDelta(const LoraAdapter& adapter, at::IntArrayRef shape, const at::Device& device) {
  if (!adapter.diffBias.defined()) return {};
  if (adapter.diffBias.numel() != product(shape)) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "diff_b of " + std::to_string(adapter.diffBias.numel()) +
                            " elements does not fit the bias " + shapeText(shape),
                        adapter.module);
  }
  return f32(adapter.diffBias, device).reshape(shape).contiguous();
}

}  // namespace celerity
