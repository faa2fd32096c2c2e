#!/usr/bin/env bash
# `make bench`: native benchmarks (with POT side by side) and the same benchmarks in headless
# Chromium; writes target/bench.json = {"native": …, "browser": …} and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import ot" 2>/dev/null; then
  echo "[bench] installing POT (the baseline) from PyPI" >&2
  python3 -m pip install --quiet pot
fi
mkdir -p target
# BENCH_ARGS narrows the native run (e.g. "--sizes 1024 --scale 0 --train-seconds 30");
# TRAIN_SECONDS sets the browser's training budget per case
cargo run --release --quiet -- bench --json ${BENCH_ARGS:-} > target/bench-native.json
node tools/bench-browser.mjs > target/bench-browser.json
# the PyTorch CPU baseline of the training steps (reports "skipped" where torch is absent)
python3 tools/bench_torch.py "${TORCH_SECONDS:-10}" > target/bench-torch.json
python3 - <<'PY'
import json
native = json.load(open("target/bench-native.json"))
browser = json.load(open("target/bench-browser.json"))
torch = json.load(open("target/bench-torch.json"))
json.dump({"native": native, "browser": browser, "pytorch": torch}, open("target/bench.json", "w"), indent=1)
print(f"exact OT, {native['sampling']}; POT: {native['baseline']}")
print(f"{'case':<14}{'n':>6}{'native s':>10}{'POT s':>9}{'speedup':>8}{'W2 rel diff':>12}{'browser s':>11}")
in_browser = {(b["case"], b["n"]): b["seconds"] for b in browser["ot_assignment"]}
nan = float("nan")
for r in native["ot_assignment"]:
    pot = r["pot_seconds"] or nan
    diff = r["w2sq_rel_diff"] if r["w2sq_rel_diff"] is not None else nan
    print(f"{r['case']:<14}{r['n']:>6}{r['seconds']:>10.4f}{pot:>9.4f}{pot / r['seconds']:>8.1f}{diff:>12.1e}{in_browser.get((r['case'], r['n']), nan):>11.4f}")
for r in native["ot_scale"]:
    print(f"{r['case']:<14}{r['n']:>6}{r['seconds']:>10.2f}   (no baseline: a dense cost matrix would need {8 * r['n'] ** 2 / 2 ** 30:.0f} GiB)")
nn, nb = native["networks"], browser["networks"]
print(f"\nnetworks at batch 512, width 128      native: raw {nn['raw_matmul_gflops']:.1f} GFLOP/s | browser: raw {nb['raw_matmul_gflops']:.1f} GFLOP/s")
for a, b in zip(nn["cases"], nb["cases"]):
    print(f"{a['name']:<50} {a['steps_per_s']:>7.1f} steps/s {100*a['fraction_of_raw']:>4.0f}% | {b['steps_per_s']:>7.1f} steps/s {100*b['fraction_of_raw']:>4.0f}%")
for b in browser["builds"]:
    raws = ", ".join(f"{r:.1f}" for r in b["raw_matmul_gflops"])
    print(f"  wasm build {b['build']:<13} raw {raws} GFLOP/s (alternating rounds)")
print(f"  (the page loaded the {browser['wasm_build']} build)")
print("\nTraining (best MapErr, time to MapErr 0.05)  native                         | browser     | browser/native")
def shown(c):
    if c["best_map_err"] is None:
        return f"{c['steps_per_s']:6.1f} steps/s (generative)       "
    t = "never" if c["seconds_to_target"] is None else f"{c['seconds_to_target']:.1f} s"
    return f"{c['steps_per_s']:6.1f} steps/s best {c['best_map_err']:.3f} ({t})"
in_page = {b["name"]: b["case"] for b in browser["training"]}
for a in native["training"]:
    b = in_page.get(a["name"])
    if b is None:
        print(f"{a['name']:<36} {shown(a['case'])} | (not run in the browser)")
        continue
    print(f"{a['name']:<36} {shown(a['case'])} | {shown(b)} | {b['steps_per_s'] / a['case']['steps_per_s']:.2f}")
if "skipped" in torch:
    print(f"\nPyTorch baseline skipped: {torch['skipped']}")
else:
    print(f"\nGenerator steps/s against PyTorch {torch['torch']} on the CPU, {torch['threads']} thread")
    ours = {c["name"]: c["case"]["steps_per_s"] for c in native["training"]}
    for c in torch["cases"]:
        mine = ours.get(c["name"], nan)
        print(f"{c['name']:<36} otlab {mine:7.1f} | PyTorch {c['steps_per_s']:7.1f} | {mine / c['steps_per_s']:.2f}×")
w = browser["workers"]
print(f"\nW2GAN in Web Workers ({w['hardware_concurrency']} cores reported)   total steps/s | per run: measured vs read-out")
for r in w["runs"]:
    pairs = ", ".join(f"{m:.1f} vs {s:.1f}" for m, s in zip(r["measured_steps_per_s"], r["reported_steps_per_s"]))
    print(f"{r['workers']} worker(s) {r['total_steps_per_s']:>28.1f} | {pairs}")
m = browser["memory"]
print("\nwasm memory of a semi-dual run: " + ", ".join(f"{r['wasm_bytes'] / 2**20:.1f} MiB at {r['steps']} steps" for r in m))
print("full results: target/bench.json")
PY
