#!/usr/bin/env python3
"""Checks the CLI's JSON against an independent high-accuracy reference (SciPy DOP853, rtol=atol=1e-13).

Usage: check_cli.py PATH/TO/lyapunov-lens
Checks: trajectory max abs error <= 1e-6; dV/dn relative error <= 1e-8 against |grad V| evaluated on the
reference states; attention sums to 1; the observation noise has the requested sigma (and mean 0).
"""
import json, subprocess, sys
import numpy as np
from scipy.integrate import solve_ivp

cli = sys.argv[1]
failures = []

def run(*args):
    out = subprocess.run([cli, "run", "--format", "json", "--no-ensemble", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)

def check(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)

for params in [dict(), dict(alpha=1.7, beta=0.2, gamma=0.9, delta=0.4, x0=3.0, y0=12.0, t_end=30.0)]:
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in params.items()]
    d = run(*flags, "--steps", "200")
    c = d["config"]
    a, b, g, dl = c["alpha"], c["beta"], c["gamma"], c["delta"]
    t = np.array([p["t"] for p in d["points"]])
    xy = np.array([[p["x"], p["y"]] for p in d["points"]])
    ref = solve_ivp(lambda _t, z: [a * z[0] - b * z[0] * z[1], dl * z[0] * z[1] - g * z[1]],
                    (0, c["t_end"]), [c["x0"], c["y0"]], method="DOP853", t_eval=t, rtol=1e-13, atol=1e-13).y.T
    err = np.abs(xy - ref).max()
    check(f"trajectory {params or 'defaults'}", err <= 1e-6, f"max abs error {err:.2e} (bar 1e-6)")
    grad = np.stack([dl - g / ref[:, 0], b - a / ref[:, 1]], axis=1)
    dvdn_ref = np.linalg.norm(grad, axis=1)
    dvdn = np.array([p["dv_dn"] for p in d["points"]])
    rel = (np.abs(dvdn - dvdn_ref) / dvdn_ref).max()
    check(f"dV/dn {params or 'defaults'}", rel <= 1e-8, f"max relative error {rel:.2e} (bar 1e-8)")
    total = sum(p["attention"] for p in d["points"])
    check(f"attention sum {params or 'defaults'}", abs(total - 1) <= 1e-12, f"sum {total!r}")

for sigma in [0.5, 2.0]:
    d = run("--n", "20000", "--sigma", str(sigma), "--seed", "11")
    resid = np.array([[p["x_obs"] - p["x"], p["y_obs"] - p["y"]] for p in d["points"]]).ravel()
    sd, mean = resid.std(ddof=1), resid.mean()
    # 40000 draws: standard error of the sd is sigma/sqrt(80000) = 0.35% of sigma.
    check(f"noise sigma={sigma}", abs(sd / sigma - 1) < 0.015 and abs(mean) < 0.02 * sigma,
          f"sample sd {sd:.4f}, mean {mean:+.4f}")

d = run("--sigma", "0")
zero = max(max(abs(p["x_obs"] - p["x"]), abs(p["y_obs"] - p["y"])) for p in d["points"])
check("sigma=0 gives the clean trajectory exactly", zero == 0.0, f"max |obs - clean| = {zero}")


print(f"reference check: {len(failures)} failed")
sys.exit(1 if failures else 0)
