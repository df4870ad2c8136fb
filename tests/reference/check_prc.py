#!/usr/bin/env python3
"""Checks `lyapunov-lens prc` against an independent SciPy reference (DOP853, rtol = atol = 1e-12).

Usage: check_prc.py PATH/TO/lyapunov-lens      (about a minute; not part of `make test`)

The reference shares no code or method with the Rust side: the cycle comes from a long DOP853 run
with event location of the maximum of the first variable (the CLI's phase reference), and Z
comes from central differences of the asymptotic phase, Z_k(θ) ≈ (Δ(+δ) − Δ(−δ)) / 2δ, each Δ
the shift of the reference event after a kick of ±δ along variable k, measured many periods
later. Checks, for Van der Pol and Goodwin at their defaults: the period (relative 1e-8), the
state at θ = 0 (1e-6), Z at every phase within 1e-4 of Z's range, and Z·f = 1 (1e-8) using the
CLI's own states. The direct method's shifts are checked against the same finite-kick shifts
computed here (1e-4 of their range).
"""
import json, subprocess, sys
import numpy as np
from scipy.integrate import solve_ivp

cli = sys.argv[1]
failures = []
TOL = dict(method="DOP853", rtol=1e-12, atol=1e-12)


def check(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


def van_der_pol(mu):
    return lambda t, s: [s[1], mu * (1 - s[0] ** 2) * s[1] - s[0]]


def goodwin(n, a, b):
    return lambda t, s: [a / (1 + max(s[2], 0.0) ** n) - b * s[0], s[0] - b * s[1], s[1] - b * s[2]]


def maximum_of_x(f):
    event = lambda t, s: f(t, s)[0]
    event.direction = -1  # dx/dt from + to −
    return event


def cycle(f, x0, transient):
    """Period and the state at the maximum of the first variable, after a transient."""
    ev = maximum_of_x(f)
    sol = solve_ivp(f, (0, transient), x0, events=ev, **TOL)
    times, states = sol.t_events[0], sol.y_events[0]
    return times[-1] - times[-2], states[-1]


def shift(f, start, period, kick, periods):
    """How much earlier than a whole number of periods after the start the kicked orbit reaches
    its last reference event, `periods` periods on (time units; advance > 0). Differences of
    this between kicks from the same start are phase shifts."""
    ev = maximum_of_x(f)
    sol = solve_ivp(f, (0, periods * period + period / 2), start + kick, events=ev, **TOL)
    last = sol.t_events[0][-1]
    return (np.round(last / period) * period - last)


def check_system(name, f, x0, transient, periods, delta, data_adj, data_dir):
    period, origin = cycle(f, x0, transient)
    check(f"{name} period", abs(data_adj["period"] - period) <= 1e-8 * period,
          f"CLI {data_adj['period']:.12f}, SciPy {period:.12f}")
    err = np.abs(np.array(data_adj["points"][0]["state"]) - origin).max()
    check(f"{name} state at θ = 0", err <= 1e-6, f"max abs difference {err:.2e}")
    d = len(origin)
    z_cli, z_ref, zf = [], [], []
    for p in data_adj["points"]:
        t = p["t"]
        start = origin if t == 0 else solve_ivp(f, (0, t), origin, **TOL).y[:, -1]
        unkicked = shift(f, start, period, np.zeros(d), periods)
        wrapped = lambda s: (s - unkicked + period / 2) % period - period / 2
        row = []
        for k in range(d):
            e = np.zeros(d)
            e[k] = delta
            plus = wrapped(shift(f, start, period, e, periods))
            minus = wrapped(shift(f, start, period, -e, periods))
            row.append((plus - minus) / (2 * delta))
        z_ref.append(row)
        z_cli.append(p["z"])
        fx = np.array(f(0, np.array(p["state"])))
        zf.append(abs(np.dot(p["z"], fx) - 1))
    z_cli, z_ref = np.array(z_cli), np.array(z_ref)
    for k in range(d):
        rng = np.ptp(z_ref[:, k])
        err = np.abs(z_cli[:, k] - z_ref[:, k]).max()
        check(f"{name} Z_{k} vs finite differences", err <= 1e-4 * rng,
              f"max abs difference {err:.2e} = {err / rng:.1e} of the range {rng:.3e}")
    check(f"{name} Z·f = 1", max(zf) <= 1e-8, f"max |Z·f − 1| {max(zf):.2e}")
    var, eps = data_dir["variable_index"], data_dir["epsilon"]
    got, ref = [], []
    for p in data_dir["points"]:
        t = p["t"]
        start = origin if t == 0 else solve_ivp(f, (0, t), origin, **TOL).y[:, -1]
        e = np.zeros(d)
        e[var] = eps
        s = shift(f, start, period, e, periods)
        ref.append(((s - shift(f, start, period, np.zeros(d), periods)) / period + 0.5) % 1 - 0.5)
        got.append(p["shift"])
    got, ref = np.array(got), np.array(ref)
    err, rng = np.abs(got - ref).max(), np.ptp(ref)
    check(f"{name} direct shifts (ε = {eps:g})", err <= 1e-4 * rng,
          f"max abs difference {err:.2e} periods = {err / rng:.1e} of the range {rng:.3e}")


def prc(*args):
    out = subprocess.run([cli, "prc", "--format", "json", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


for name, f, x0, transient, periods, delta in [
    ("van-der-pol", van_der_pol(1.0), [0.5, 0.0], 100.0, 6, 1e-5),
    ("goodwin", goodwin(10.0, 1.0, 0.1), [0.0404, 0.168, 1.573], 2000.0, 45, 1e-6),
]:
    adj = prc("--system", name, "--points", "12")
    direct = prc("--system", name, "--points", "12", "--method", "direct", "--variable", "1")
    direct["variable_index"] = 1
    check_system(name, f, x0, transient, periods, delta, adj, direct)

print("all checks passed" if not failures else f"{len(failures)} failed: {', '.join(failures)}")
sys.exit(1 if failures else 0)
