#!/usr/bin/env python3
"""SciPy's values for the distribution functions and tests in src/analysis/.

    python3 tests/reference/stats_reference.py            # writes tests/fixtures/stats_reference.json
    python3 tests/reference/stats_reference.py --check    # fails if the committed file differs

The Rust tests (tests/it/honest_stats.rs) compare lyapunov-lens against this file, so the
fixture must be SciPy's own output: `make test-reference` runs the --check form.
"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy import stats

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "stats_reference.json"


def holm(p):
    """Holm's step-down adjusted p-values, written from the definition (Holm 1979)."""
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def build():
    ps = [1e-12, 1e-6, 0.001, 0.01, 0.02425, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.97575, 0.999, 1 - 1e-9]
    zs = [-8.0, -5.0, -1.96, -1.0, -0.1, 0.0, 0.5, 1.0, 1.645, 3.0, 6.0]
    binom = [(n, k, p) for n in (8, 20, 57) for k in (0, 1, n // 3, n // 2, n - 1) for p in (0.05, 0.5, 0.8)]
    signs = [(0, 8), (1, 7), (4, 4), (0, 20), (3, 17), (10, 10), (16, 3), (2, 40)]
    cps = [(0, 8), (1, 8), (4, 8), (8, 8), (0, 20), (7, 20), (19, 20), (20, 20), (33, 57)]
    holms = [[0.01, 0.04, 0.03, 0.005], [0.5, 0.2, 0.001, 0.0001, 0.049], [0.3]]
    return {
        "source": f"scipy {__import__('scipy').__version__}, numpy {np.__version__}",
        "normal_ppf": [[p, float(stats.norm.ppf(p))] for p in ps],
        "normal_cdf": [[z, float(stats.norm.cdf(z))] for z in zs],
        "binom_cdf": [[n, k, p, float(stats.binom.cdf(k, n, p))] for n, k, p in binom],
        "sign_test": [[neg, pos, float(stats.binomtest(neg, neg + pos, 0.5).pvalue)] for neg, pos in signs],
        "clopper_pearson": [
            [k, n, *map(float, stats.binomtest(k, n).proportion_ci(0.95, method="exact"))] for k, n in cps
        ],
        "holm": [[p, holm(p)] for p in holms],
    }


def main():
    text = json.dumps(build(), indent=1) + "\n"
    if "--check" in sys.argv:
        have, want = json.loads(OUT.read_text()), json.loads(text)
        for key in want:
            if key == "source":
                continue
            a = np.array(have[key], dtype=object).ravel().tolist() if key != "holm" else have[key]
            b = np.array(want[key], dtype=object).ravel().tolist() if key != "holm" else want[key]
            flat = lambda v: [x for y in v for x in (flat(y) if isinstance(y, list) else [y])]
            fa, fb = flat(a), flat(b)
            if len(fa) != len(fb) or not np.allclose(fa, fb, rtol=1e-12, atol=0):
                sys.exit(f"{OUT} ({key}) differs from SciPy's values: rerun {sys.argv[0]} and review the diff")
        print(f"stats reference: {OUT.name} matches SciPy ({want['source']})")
    else:
        OUT.write_text(text)
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
