#!/usr/bin/env python3
"""Time POT's exact OT (ot.emd2, network simplex) on the instances `otlab bench` wrote.

Usage: bench_pot.py DIR   (DIR holds PAIR-N-x.csv and PAIR-N-y.csv). Prints a JSON list of
{"pair", "n", "seconds", "w2sq"}; seconds include building the cost matrix (as otlab's do) and are
the best of 3 runs for n <= 1024, one run above.
"""
import glob, json, os, re, sys, time

try:
    import numpy as np
    import ot
except ImportError as e:
    sys.exit(f"POT baseline unavailable ({e}); install with: pip install pot")

rows = []
for xf in sorted(glob.glob(os.path.join(sys.argv[1], "*-x.csv"))):
    pair, n = re.match(r"(.+)-(\d+)-x\.csv", os.path.basename(xf)).groups()
    # otlab's points are float32: read them as such, so both solvers see the same coordinates
    x = np.loadtxt(xf, delimiter=",", skiprows=1, dtype=np.float32).astype(np.float64)
    y = np.loadtxt(xf[:-5] + "y.csv", delimiter=",", skiprows=1, dtype=np.float32).astype(np.float64)
    a = np.full(len(x), 1.0 / len(x))
    best, w = float("inf"), None
    for _ in range(3 if len(x) <= 4096 else 1):
        t0 = time.perf_counter()
        w = ot.emd2(a, a, ot.dist(x, y), numItermax=10**8)
        best = min(best, time.perf_counter() - t0)
    rows.append({"pair": pair, "n": int(n), "seconds": best, "w2sq": float(w), "pot": ot.__version__})
print(json.dumps(rows))
