#!/usr/bin/env python3
"""Checks that `lyapunov-lens run` trains paper-linear to the exact optimum of its loss.

Usage: check_optimum.py PATH/TO/lyapunov-lens

For Gaussian sigma in {0.5, 2} and seeds 0-9, the CLI trains to convergence (its default) and
prints the clean states, the observations and the attention. Here the same loss,
L(w) = mean_t ||N a_t x~_t - x_t||^2 with a = softmax(w . x~), is minimised independently with
SciPy's BFGS (analytic gradient, gtol 1e-14) and polished with Newton steps on an analytic-by-
autodiff-free central-difference Hessian of the gradient. The CLI's loss must be within 1e-9
(relative) of the optimum, and its attention within 1e-6 (relative) at every sample.
"""
import json, subprocess, sys
import numpy as np
from scipy.optimize import minimize

cli = sys.argv[1]
failures = []


def check(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


def loss_and_grad(w, obs, clean):
    n = obs.shape[0]
    s = obs @ w
    e = np.exp(s - s.max())
    a = e / e.sum()
    r = n * a[:, None] * obs
    err = r - clean
    loss = (err ** 2).sum() / n
    g_a = 2.0 * (err * obs).sum(axis=1)  # dL/da_t = (2/N) * N * x~_t . e_t
    g_s = a * (g_a - (a * g_a).sum())
    return loss, obs.T @ g_s, a


def optimum(obs, clean):
    f = lambda w: loss_and_grad(w, obs, clean)[:2]
    res = minimize(f, np.zeros(obs.shape[1]), jac=True, method="BFGS", options=dict(gtol=1e-14, maxiter=10000))
    w = res.x
    for _ in range(5):  # Newton polish with a central-difference Hessian of the exact gradient
        h = 1e-6 * max(1.0, np.abs(w).max())
        hess = np.array([(f(w + h * e)[1] - f(w - h * e)[1]) / (2 * h) for e in np.eye(len(w))])
        step = np.linalg.solve(0.5 * (hess + hess.T), f(w)[1])
        if f(w - step)[0] < f(w)[0]:
            w = w - step
    return loss_and_grad(w, obs, clean)


worst_loss, worst_attention = 0.0, 0.0
for sigma in [0.5, 2.0]:
    for seed in range(10):
        out = subprocess.run([cli, "run", "--format", "json", "--no-ensemble", "--sigma", str(sigma), "--seed", str(seed)],
                             check=True, capture_output=True, text=True)
        d = json.loads(out.stdout)
        pts = d["points"]
        obs = np.array([[p["x_obs"], p["y_obs"]] for p in pts])
        clean = np.array([[p["x"], p["y"]] for p in pts])
        attention = np.array([p["attention"] for p in pts])
        loss_ref, _, a_ref = optimum(obs, clean)
        rel_loss = abs(d["metrics"]["loss"] - loss_ref) / loss_ref
        rel_a = (np.abs(attention - a_ref) / a_ref).max()
        worst_loss, worst_attention = max(worst_loss, rel_loss), max(worst_attention, rel_a)
        name = f"sigma={sigma} seed={seed}"
        check(f"{name} converged", d["training"]["converged"], f"status {d['training']['status']}, {d['training']['steps']} steps")
        check(f"{name} loss", rel_loss <= 1e-9, f"{d['metrics']['loss']:.12f} vs optimum {loss_ref:.12f} (relative {rel_loss:.1e}, bar 1e-9)")
        check(f"{name} attention", rel_a <= 1e-6, f"max relative difference {rel_a:.1e} (bar 1e-6)")

print(f"optimum check: worst relative loss gap {worst_loss:.1e}, worst relative attention gap {worst_attention:.1e}; {len(failures)} failed")
sys.exit(1 if failures else 0)
