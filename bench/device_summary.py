#!/usr/bin/env python3
"""Reduces one bench/device-check.sh run to summary.json (the keys bench/results/ needs).

Reads the run's work folder: steps.tsv (name, status, rc, seconds, limit), json/<step>.json
(`celerity-cli bench --json` reports; diffusers.json from bench/diffusers_unet_bench.py) and
selftest.rc. Every figure that could not be measured is null, with its reason in
"null_reasons". Standard library only: it runs on the device machine and here.
"""
import argparse
import datetime
import json
import os


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_steps(path):
    steps = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) < 5:
                    continue
                name, status, rc, seconds, limit = fields[:5]
                steps.append({
                    "name": name,
                    "status": status,
                    "rc": int(rc) if rc.strip() else None,
                    "seconds": float(seconds) if seconds else 0.0,
                    "limit_s": int(limit) if limit.isdigit() else None,
                })
    except OSError:
        pass
    return steps


def arm(report, name):
    if not report:
        return None
    for a in report.get("arms", []):
        if a.get("name") == name:
            return a
    return None


def stage(arm_json, stage_name):
    if not arm_json:
        return None
    for s in arm_json.get("stages", []):
        if s.get("name") == stage_name:
            return s
    return None


def step_ms(arm_json):
    """Median milliseconds of one sampler step (one UNet evaluation with CFG)."""
    s = stage(arm_json, "sample.step")
    if not s or not s.get("count_per_run") or s.get("median_ms", 0) <= 0:
        return None
    return s["median_ms"] / s["count_per_run"]


def its(arm_json):
    ms = step_ms(arm_json)
    return None if ms is None else 1000.0 / ms


def seconds(stage_json):
    return None if not stage_json else stage_json["median_ms"] / 1000.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--device", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("--mode", default="gpu")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    steps = read_steps(os.path.join(args.work, "steps.tsv"))
    by_name = {s["name"]: s for s in steps}
    reports = {}
    json_dir = os.path.join(args.work, "json")
    if os.path.isdir(json_dir):
        for name in sorted(os.listdir(json_dir)):
            if name.endswith(".json"):
                reports[name[:-5]] = load_json(os.path.join(json_dir, name))

    reasons = {}

    def why(key, step_name, default):
        step = by_name.get(step_name)
        if step is None:
            reasons[key] = f"step {step_name} not run"
        elif step["status"] != "ok":
            reasons[key] = f"step {step_name}: {step['status']}"
        else:
            reasons[key] = default

    summary = {
        "device": args.device,
        "commit": args.commit,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": args.mode,
    }

    # (b) UNet it/s with CFG.
    sd15 = arm(reports.get("sd15_512"), "A")
    summary["sd15_512_unet_its"] = its(sd15)
    if summary["sd15_512_unet_its"] is None:
        why("sd15_512_unet_its", "sd15_512", "no sample.step stage in the report")
    sdxl = reports.get("sdxl_1024")
    sdxl_cold, sdxl_warm = arm(sdxl, "A"), arm(sdxl, "B")
    summary["sdxl_1024_unet_its"] = its(sdxl_warm) if its(sdxl_warm) is not None else its(sdxl_cold)
    if summary["sdxl_1024_unet_its"] is None:
        why("sdxl_1024_unet_its", "sdxl_1024", "no sample.step stage in the report")

    # Diffusers' eager UNet step in the same run: ratio = our step / theirs (target <= 0.5).
    diffusers = reports.get("diffusers") or {}
    for key, ours, theirs in (
        ("diffusers_step_ratio_sdxl", step_ms(sdxl_warm) or step_ms(sdxl_cold), diffusers.get("sdxl_1024")),
        ("diffusers_step_ratio_sd15", step_ms(sd15), diffusers.get("sd15_512")),
    ):
        theirs_ms = (theirs or {}).get("step_ms")
        summary[key] = ours / theirs_ms if ours and theirs_ms else None
        if summary[key] is None:
            if not diffusers:
                why(key, "diffusers", "diffusers was not run")
            elif diffusers.get("error"):
                reasons[key] = "diffusers: " + diffusers["error"]
            else:
                reasons[key] = "no step time on one side"
    summary["diffusers"] = diffusers or None

    # (c) loading; (a) the seed's cycle: SDXL 1024², 20 steps, the checkpoint loaded each run.
    summary["load_cold_sdxl_s"] = seconds(stage(sdxl_cold, "load.checkpoint"))
    if summary["load_cold_sdxl_s"] is None:
        why("load_cold_sdxl_s", "sdxl_1024", "no load.checkpoint stage in arm A")
    if sdxl_warm is not None:
        warm = stage(sdxl_warm, "load.checkpoint")
        summary["load_warm_sdxl_s"] = seconds(warm) if warm else 0.0  # kept loaded: no load
    else:
        summary["load_warm_sdxl_s"] = None
    summary["seed_cycle_s"] = sdxl_cold["wall"]["median_ms"] / 1000.0 if sdxl_cold else None
    summary["seed_cycle_adetailer"] = False  # no detector models on the device machine
    if summary["seed_cycle_s"] is None:
        why("seed_cycle_s", "sdxl_1024", "no cold SDXL run")
    # (d) VAE decode.
    summary["sd15_512_vae_decode_s"] = seconds(stage(sd15, "vae.decode"))
    summary["sdxl_1024_vae_decode_s"] = seconds(stage(sdxl_warm or sdxl_cold, "vae.decode"))

    # Self-test.
    rc_path = os.path.join(args.work, "selftest.rc")
    if os.path.exists(rc_path):
        with open(rc_path, encoding="utf-8") as f:
            rc = f.read().strip()
        summary["selftest_pass"] = rc == "0"
        if rc in ("124", "137", "125"):
            summary["selftest_pass"] = None
            reasons["selftest_pass"] = "selftest ran out of time" if rc != "125" else "no time left"
    else:
        summary["selftest_pass"] = None
        why("selftest_pass", "selftest", "not run")
    summary["selftest"] = reports.get("selftest")

    # One A/B line per toggle.
    ab = []
    for step in steps:
        if not step["name"].startswith("ab_"):
            continue
        report = reports.get(step["name"])
        line = {"step": step["name"], "status": step["status"]}
        if report:
            line["toggle"] = ",".join(report.get("toggles", []))
            ratios = report.get("ratio_b_over_a", {})
            line["wall_ratio_b_over_a"] = ratios.get("job")
            line["sample_step_ratio_b_over_a"] = ratios.get("sample.step")
            line["load_ratio_b_over_a"] = ratios.get("load.checkpoint")
            line["wall_ms_a"] = (arm(report, "A") or {}).get("wall", {}).get("median_ms")
            line["wall_ms_b"] = (arm(report, "B") or {}).get("wall", {}).get("median_ms")
            line["image_difference"] = report.get("image_difference")
        ab.append(line)
    summary["ab"] = ab
    summary["steps"] = steps
    summary["null_reasons"] = {k: v for k, v in reasons.items() if summary.get(k) is None}

    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
