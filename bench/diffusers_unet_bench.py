#!/usr/bin/env python3
"""Diffusers' UNet step on the GPU, for the side-by-side ratio of bench/device-check.sh.

Builds diffusers' UNet2DConditionModel with the SD 1.5 and SDXL base configurations and random
weights (the values do not change the time of a step: the same shapes, dtype and kernels as the
real weights), in bf16 with PyTorch's scaled-dot-product attention (diffusers' default
processor), eager; times one step with CFG (batch 2: conditional and unconditional) and writes
{"sd15_512": {"step_ms", "its"}, "sdxl_1024": {...}, ...} as JSON. `--compile` adds
torch.compile (minutes of compilation: only when the budget allows).

diffusers is not installed on the device machine: its source travels in
third_party/device/python (scripts/fetch-device-deps.sh --diffusers GITDIR) and is put on
PYTHONPATH by the caller. Any failure is recorded as {"error": ...}, never raised.
"""
import argparse
import json
import sys
import time
import traceback

# The two base models' UNet configurations (their published config.json values).
SD15_UNET = dict(
    sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
    block_out_channels=(320, 640, 1280, 1280),
    down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=768, attention_head_dim=8, norm_num_groups=32,
)
SDXL_UNET = dict(
    sample_size=128, in_channels=4, out_channels=4, layers_per_block=2,
    block_out_channels=(320, 640, 1280),
    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    transformer_layers_per_block=(1, 2, 10), attention_head_dim=(5, 10, 20),
    cross_attention_dim=2048, use_linear_projection=True, addition_embed_type="text_time",
    addition_time_embed_dim=256, projection_class_embeddings_input_dim=2816, norm_num_groups=32,
)


def time_unet(torch, unet_class, config, latent_size, context_dim, sdxl, steps, warmup, compile_model):
    device = torch.device("cuda")
    dtype = torch.bfloat16
    with torch.device(device):  # random initialisation on the GPU: seconds, not minutes
        unet = unet_class(**config)
    unet = unet.to(device=device, dtype=dtype).eval()
    if compile_model:
        unet = torch.compile(unet)
    batch = 2  # CFG: conditional and unconditional in one call
    gen = torch.Generator(device=device).manual_seed(0)
    sample = torch.randn(batch, 4, latent_size, latent_size, device=device, dtype=dtype, generator=gen)
    context = torch.randn(batch, 77, context_dim, device=device, dtype=dtype, generator=gen)
    kwargs = {}
    if sdxl:
        kwargs["added_cond_kwargs"] = {
            "text_embeds": torch.randn(batch, 1280, device=device, dtype=dtype, generator=gen),
            "time_ids": torch.tensor([[1024, 1024, 0, 0, 1024, 1024]] * batch, device=device, dtype=dtype),
        }
    timestep = torch.tensor(500, device=device)
    with torch.inference_mode():
        for _ in range(warmup):
            unet(sample, timestep, encoder_hidden_states=context, **kwargs)
        torch.cuda.synchronize()
        times_ms = []
        for _ in range(steps):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            unet(sample, timestep, encoder_hidden_states=context, **kwargs)
            end.record()
            end.synchronize()
            times_ms.append(start.elapsed_time(end))
    times_ms.sort()
    median = times_ms[len(times_ms) // 2]
    del unet
    torch.cuda.empty_cache()
    return {"step_ms": median, "its": 1000.0 / median, "min_ms": times_ms[0], "max_ms": times_ms[-1],
            "steps": steps, "warmup": warmup, "dtype": "bf16", "batch": batch,
            "attention": "sdpa", "compiled": compile_model}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", required=True)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--compile", action="store_true")
    args = parser.parse_args()
    result = {"error": None}
    try:
        import torch
        result["torch"] = torch.__version__
        import diffusers
        from diffusers.models.unets.unet_2d_condition import UNet2DConditionModel
        result["diffusers"] = getattr(diffusers, "__version__", "unknown")
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
        for key, config, size, context_dim, sdxl in (
            ("sd15_512", SD15_UNET, 64, 768, False),
            ("sdxl_1024", SDXL_UNET, 128, 2048, True),
        ):
            t0 = time.time()
            try:
                result[key] = time_unet(torch, UNet2DConditionModel, config, size, context_dim, sdxl,
                                        args.steps, args.warmup, args.compile)
                result[key]["seconds"] = time.time() - t0
            except Exception as e:  # one model failing keeps the other
                result[key] = {"error": f"{type(e).__name__}: {e}"}
                traceback.print_exc()
            print(key, json.dumps(result[key]), flush=True)
    except Exception as e:
        result["error"] = f"{type(e).__name__}: {e}"
        traceback.print_exc()
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    return 0 if result["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
