#!/usr/bin/env python3
"""Seed corpora of the fuzz targets, made from the golden folder and a few hand-made files.

    fuzz/make_seeds.py GOLDEN_DIR CORPUS_DIR

Writes CORPUS_DIR/<target>/<sha1> files (existing corpora are kept and added to). Nothing
here is committed: the golden folder is the source (see docs/HARDENING.md).
"""
import hashlib
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile
from collections import OrderedDict

MAX_SEED = 64 * 1024


def put(corpus, target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if not data or len(data) > MAX_SEED:
        return
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def strings_of(value):
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings_of(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_of(v)


def load_json(golden, name):
    path = os.path.join(golden, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def safetensors(tensors, metadata=None):
    """tensors: [(name, dtype, shape, bytes)] -> a safetensors file."""
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def floats(n, start=0.0):
    return struct.pack("<%df" % n, *[start + 0.01 * i for i in range(n)])


# ---- torch.save without torch: fake modules so that pickle names the right globals ----
def fake_torch():
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(*args):
        raise RuntimeError("never called")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    torch._utils = utils
    for name in ("FloatStorage", "HalfStorage", "LongStorage", "BFloat16Storage"):
        cls = type(name, (), {"__module__": "torch"})
        setattr(torch, name, cls)
    sys.modules["torch"] = torch
    sys.modules["torch._utils"] = utils
    return torch


class Storage:
    def __init__(self, cls, key, raw, numel):
        self.cls, self.key, self.raw, self.numel = cls, key, raw, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce__(self):
        return (sys.modules["torch._utils"]._rebuild_tensor_v2,
                (self.storage, self.offset, self.size, self.stride, False, OrderedDict()))


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.cls, obj.key, "cpu", obj.numel)
        return None


def torch_zip(obj, storages, protocol=2):
    buffer = io.BytesIO()
    TorchPickler(buffer, protocol=protocol).dump(obj)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", buffer.getvalue())
        z.writestr("archive/byteorder", "little")
        for s in storages:
            z.writestr("archive/data/" + s.key, s.raw)
        z.writestr("archive/version", "3\n")
    return buffer.getvalue(), out.getvalue()


def main():
    golden, corpus = sys.argv[1], sys.argv[2]

    # Prompts: every prompt of the prompt-parser golden (inputs and outputs are prompts too).
    prompts = load_json(golden, "prompt_parse.json")
    if prompts:
        for text in strings_of({k: v for k, v in prompts.items() if k in ("attention", "schedules")}):
            put(corpus, "fuzz_prompt", b"\x14\x00" + text.encode())
            put(corpus, "fuzz_prompt", b"\x1c\x15" + text.encode())
    for text in ("a <lora:cat:0.8:unet=0.5:dyn=4> and <lyco:x:te=1> [a:b:0.5] AND c:1.2 BREAK d",
                 "[[a|b]|c] (x:1.1) \\(y\\) [from:to:10] [to:3] [from::0.2]"):
        put(corpus, "fuzz_prompt", b"\x14\x00" + text.encode())

    # Infotext: the texts of the infotext golden.
    info = load_json(golden, "infotext.json")
    if info:
        for text in strings_of({k: info[k] for k in ("create", "parse", "quote", "unquote") if k in info}):
            if len(text) > 8:
                put(corpus, "fuzz_infotext", b"\x00" + text.encode())

    # PNG: the small golden PNGs with parameters chunks.
    for name in ("infotext_png_latin1.png", "infotext_png_utf8.png"):
        path = os.path.join(golden, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                put(corpus, "fuzz_png_text", f.read())

    # LoRA module names: the key forms of the LoRA manifest, and names of the tiny model.
    lora = load_json(golden, "manifest_lora_keys.json")
    names = set()
    if lora:
        for text in strings_of(lora):
            if text.startswith(("lora_", "unet", "text_encoder", "lycoris_", "down_blocks", "up_blocks", "mid_block",
                                "model.diffusion", "cond_stage", "conditioner")):
                names.add(text)
    names.update(["lora_unet_input_blocks_1_1_proj_in", "lora_unet_down_blocks_0_attentions_0_proj_in",
                  "lora_te_text_model_encoder_layers_0_mlp_fc1", "lora_te2_text_model_encoder_layers_0_self_attn_q_proj",
                  "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_q",
                  "text_encoder.text_model.encoder.layers.1.self_attn.k_proj", "lycoris_mid_block_resnets_0_conv1",
                  "lora_unet_middle_block_1_transformer_blocks_0_attn2_to_out_0", "lora_unet_label_emb_0_0"])
    for name in sorted(names)[:400]:
        put(corpus, "fuzz_lora_keys", name)

    # LoRA files: small hand-made files of every adapter kind, with kohya metadata.
    meta = {"ss_network_dim": "4", "ss_network_alpha": "2.0", "ss_base_model_version": "sd_v1",
            "ss_output_name": "cat", "ss_tag_frequency": json.dumps({"10_cat": {"cat": 5, "fur": 2}})}
    m = "lora_unet_input_blocks_1_1_proj_in"
    put(corpus, "fuzz_lora_file", safetensors([
        (m + ".lora_down.weight", "F32", [4, 32], floats(128)),
        (m + ".lora_up.weight", "F32", [32, 4], floats(128)),
        (m + ".alpha", "F32", [], floats(1)),
        ("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", "F16", [2, 32], floats(32)),
        ("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", "F16", [64, 2], floats(64))], meta))
    put(corpus, "fuzz_lora_file", safetensors([
        (m + ".hada_w1_a", "F32", [32, 2], floats(64)), (m + ".hada_w1_b", "F32", [2, 32], floats(64)),
        (m + ".hada_w2_a", "F32", [32, 2], floats(64)), (m + ".hada_w2_b", "F32", [2, 32], floats(64)),
        (m + ".alpha", "F32", [], floats(1))]))
    put(corpus, "fuzz_lora_file", safetensors([
        (m + ".lokr_w1", "F32", [4, 4], floats(16)), (m + ".lokr_w2_a", "F32", [8, 2], floats(16)),
        (m + ".lokr_w2_b", "F32", [2, 8], floats(16)), (m + ".alpha", "F32", [], floats(1))]))
    put(corpus, "fuzz_lora_file", safetensors([
        (m + ".diff", "F32", [32, 32], floats(1024)), (m + ".diff_b", "F32", [32], floats(32)),
        (m + ".dora_scale", "F32", [32, 1], floats(32))]))

    # safetensors: the small golden files, the LoRA seeds and a few shapes / dtypes.
    for name in sorted(os.listdir(golden)):
        path = os.path.join(golden, name)
        if name.endswith(".safetensors") and os.path.getsize(path) <= MAX_SEED:
            with open(path, "rb") as f:
                put(corpus, "fuzz_safetensors", f.read())
    put(corpus, "fuzz_safetensors", safetensors([
        ("a", "F32", [2, 3], floats(6)), ("b", "F16", [4], floats(2)), ("c", "I64", [1], b"\x01" * 8),
        ("d", "BF16", [0, 5], b""), ("e", "U8", [3], b"abc"), ("f", "BOOL", [2], b"\x00\x01")],
        {"format": "pt", "note": "seed"}))
    for f in os.listdir(os.path.join(corpus, "fuzz_lora_file")):
        with open(os.path.join(corpus, "fuzz_lora_file", f), "rb") as src:
            put(corpus, "fuzz_safetensors", src.read())

    # .pt: torch.save zips of plain state dicts, an OrderedDict with a view, a module tree.
    torch = fake_torch()
    s0 = Storage(torch.FloatStorage, "0", floats(24), 24)
    s1 = Storage(torch.HalfStorage, "1", b"\x00\x3c" * 7, 7)
    s2 = Storage(torch.LongStorage, "2", struct.pack("<2q", 3, -9), 2)
    state = {"model.0.conv.weight": Tensor(s0, 0, (2, 3, 4), (12, 4, 1)),
             "model.0.bn.running_var": Tensor(s1, 0, (7,), (1,)),
             "steps": Tensor(s2, 0, (2,), (1,))}
    for protocol in (2, 4):
        pkl, pt = torch_zip(state, [s0, s1, s2], protocol)
        put(corpus, "fuzz_pt_reader", pt)
        put(corpus, "fuzz_pickle", pkl)
    ordered = OrderedDict([("w", Tensor(s0, 4, (2, 2), (1, 2))), ("nested", {"state_dict": [1, 2.5, "x", None, True]})])
    pkl, pt = torch_zip({"state_dict": ordered}, [s0])
    put(corpus, "fuzz_pt_reader", pt)
    put(corpus, "fuzz_pickle", pkl)
    for value in ([1, 2, (3, 4.5)], {"a": b"bytes", "b": {1, 2}, "c": frozenset([3])}, "text", 2**70):
        for protocol in (2, 3, 4, 5):
            put(corpus, "fuzz_pickle", pickle.dumps(value, protocol=protocol))
    # A refused global: the reader must name it, not run it.
    put(corpus, "fuzz_pickle", b"\x80\x02cos\nsystem\nX\x02\x00\x00\x00lsq\x85R.")

    for target in sorted(os.listdir(corpus)):
        print("%-18s %d seeds" % (target, len(os.listdir(os.path.join(corpus, target)))))


if __name__ == "__main__":
    main()
