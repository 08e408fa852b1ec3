"""Fit the melatonin parameters jointly and write src/pineal/params/melatonin_fit.toml.

Data (copied into the package with attribution, src/pineal/experiments/data/):
* Burgess 2008, 3 mg PRC: 27 digitized points (prc_melatonin_burgess2008_3mg.json);
* Burgess 2010, 0.5 mg PRC: 34 digitized points (prc_melatonin_burgess2010_0p5mg.json);
* Zeitzer 2000 suppression: 21 digitized points (zeitzer2000_suppression.json);
* endogenous-profile facts (endogenous_melatonin.json, clock_facts.json): plasma DLMO 2 h before habitual sleep
  (Sletten 2010), night peak between 02:00 and 05:00, night level 23:00-01:00 = 84.8·e^(−0.017·age) pg/mL
  (Waldhauser 1988), CBTmin near 04:00 (CL-3, Baehr 2000), a free-running period of 24.15-24.18 h in constant
  darkness (CL-1: the body's own melatonin acts on the clock too, so the system's period is not Hannay's);
* how the two published fitted PRCs differ (the dose comparison of validation.md MP-3, derived from the digitized
  fitted curves): the 0.5 mg advance peak 1.4 h and delay trough 2.3 h later than the 3 mg ones, amplitude ratio
  about 0.85. Without these the raw points alone (scatter 0.66-0.82 h) let the fit settle on a switch at a few
  pg/mL for which dose hardly matters (RMS 0.71/0.89 h, but 0.5 and 3 mg peaks at the same time); with them the
  MP-3 rows of `pineal validate` are calibration targets, not independent checks (their notes say so).

Every quantity is computed by the same experiment code that `pineal validate` runs (experiments/
burgess_protocol.py, suppression.py, melatonin_profile.py). Loss = MSE(3 mg) + MSE(0.5 mg) + 4·MSE(suppression)
+ 0.1·Σ z² of the endogenous facts and the dose-comparison shapes (z = (model − target)/scale).

The fit runs in stages from START, each a bounded least-squares problem (trust region, finite-difference Jacobian):
(1) the endogenous and suppression parameters on their own terms; (2) a profile over the drive's concentration-
response — half-maximum EC50 × Hill exponent on a grid, at each point the forcing harmonics refitted as Cartesian
pairs (B cos θ, B sin θ), in which the PRC is nearly linear — which is also the record of the alternatives tried,
from a switch at a few pg/mL to a log-like response far above physiological levels; (3) every parameter together
from the best grid point; (4) a Nelder-Mead polish of all of them, since DLMO crossings and PRC extremes make the
loss only piecewise smooth and the trust region stops early. It writes the result, the loss terms and the profile
table as provenance. Tried first and dropped: differential evolution over the seven forcing parameters (stalled at
RMS 0.85/0.88 h after 40 generations) and Nelder-Mead at each grid point (300 evaluations did not converge from
START).

    python3 scripts/calibrate_melatonin.py            # full fit from START (about 20 minutes on 2 cores)
    python3 scripts/calibrate_melatonin.py --check    # evaluate the shipped parameters, print the terms
    python3 scripts/calibrate_melatonin.py --rerecord # keep the values, re-record their terms after a model
                                                      # change elsewhere (issue 8: 150-lux home light)
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import re
import time
from pathlib import Path

import numpy as np
from scipy import optimize

from pineal import params as _params
from pineal.experiments import burgess_protocol as bp
from pineal.experiments import freerun
from pineal.experiments import melatonin_profile as mp
from pineal.experiments import suppression as sp
from pineal.experiments.data_files import load

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/pineal/params/melatonin_fit.toml"

#: name -> (lower, upper, unit, what); angles wrap, amplitudes ≥ 0 (the sign is in the angle)
BOUNDS = {
    "secretion_ug_per_h": (1.0, 20.0, "ug/h", "night-time pineal secretion rate, age <= 20"),
    "psi_on": (0.0, 2 * math.pi, "rad", "Hannay phase at which synthesis starts"),
    "psi_off": (0.0, 2 * math.pi, "rad", "Hannay phase at which synthesis stops"),
    "ramp_delta": (0.05, 20.0, "1/rad", "shape of the synthesis ramp (small: linear rise; large: step)"),
    "suppression_gain_m": (0.5, 20.0, "1", "light suppression gain m in (1 - m B)"),
    "forcing_B1": (0.0, 0.4, "1/h", "melatonin forcing, first harmonic amplitude"),
    "forcing_theta1": (-math.pi, math.pi, "rad", "melatonin forcing, first harmonic phase"),
    "forcing_B2": (0.0, 0.4, "1/h", "melatonin forcing, second harmonic amplitude"),
    "forcing_theta2": (-math.pi, math.pi, "rad", "melatonin forcing, second harmonic phase"),
    "forcing_epsilon": (-0.05, 0.05, "rad/h", "melatonin forcing, direct phase term"),
    "drive_ec50_pg_ml": (0.1, 20000.0, "pg/mL", "plasma melatonin giving half the maximal drive"),
    "drive_hill": (0.3, 6.0, "1", "Hill exponent of the drive"),
}
ENDOGENOUS = ("secretion_ug_per_h", "psi_on", "psi_off", "ramp_delta", "suppression_gain_m")
COEFFICIENTS = ("forcing_B1", "forcing_theta1", "forcing_B2", "forcing_theta2", "forcing_epsilon")
FORCING = (*COEFFICIENTS, "drive_ec50_pg_ml", "drive_hill")
GRID_LOG10_EC50 = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
GRID_HILL = (1.0, 2.0, 4.0)
LOG = {"drive_ec50_pg_ml", "secretion_ug_per_h"}  # searched on a log scale

X3, Y3 = bp.points(3.0)
X05, Y05 = bp.points(0.5)
SUPP = np.array(load("zeitzer2000_suppression.json")["data"]["suppression_points_lux_fraction"], dtype=float)
AGE = mp.YOUNG.age
COARSE = np.arange(0.0, 24.0, 0.5)  # pill times for the PRC shapes in the loss
TARGETS = {  # name: (target, scale)
    "advance_later_h": (1.4, 0.35),  # MP-3: 0.5 mg advance peak later than 3 mg by 1.4 ± 0.7 h (fitted curves)
    "delay_later_h": (2.3, 0.5),  # MP-3: delay trough later by 2.3 ± 1.0 h
    "amplitude_ratio": (0.85, 0.15),  # MP-3: 1.5+1.3 over 1.8+1.3 h (accept 0.6-1.2)
    "dlmo_before_sleep_h": (2.0, 0.25),  # Sletten 2010: 2.0 ± 0.5 h
    "peak_clock_h": (3.5, 0.75),  # EN-1: 02:00-05:00
    "cbtmin_clock_h": (4.0, 0.5),  # CL-3: CBTmin 03:00-05:00 (Baehr 2000)
    "free_running_h": (24.165, 0.03),  # CL-1: 24.15-24.18 h in constant darkness (Czeisler 1999, Duffy 2011)
    "night_level_pg_ml": (84.8 * math.exp(-0.017 * AGE), 0.15 * 84.8 * math.exp(-0.017 * AGE)),  # EN-2 ± 30 %
}


#: where the fit starts (so a re-run re-derives the shipped values from the data, not from the last fit):
#: Stowe et al. 2025's synthesis window, suppression gain and forcing (their B1 = -1.0036, B2 = -0.5604 times
#: M_max = 0.019513, written with positive amplitudes and the sign in the angle), and round values elsewhere
START = {
    "secretion_ug_per_h": 6.0, "psi_on": 1.2566, "psi_off": 3.3, "ramp_delta": 1.0, "suppression_gain_m": 4.7887,
    "forcing_B1": 0.0196, "forcing_theta1": -0.0195 + math.pi, "forcing_B2": 0.0109, "forcing_theta2": 0.6015 - math.pi,
    "forcing_epsilon": 0.0015, "drive_ec50_pg_ml": 300.0, "drive_hill": 1.0,
}
ENDOGENOUS_FACTS = ("dlmo_before_sleep_h", "peak_clock_h", "cbtmin_clock_h", "night_level_pg_ml", "free_running_h")


def shipped() -> dict[str, float]:
    return {k: v for k, v in _params.load("melatonin_fit").values().items()}


N_RESIDUALS = len(SUPP) + len(ENDOGENOUS_FACTS) + len(X3) + len(X05) + 3
BAD = 10.0  # residual for a point the model gives no answer for (no DLMO found, a clock that breaks)


def body_terms(values: dict[str, float]) -> tuple[dict[str, float], np.ndarray]:
    """The quantities that need no PRC (the body's own melatonin, its suppression) and their residuals."""
    prof = mp.profile(values)
    s = sp.zeitzer_curve(SUPP[:, 0], values)
    t = {"rms_suppression": float(np.sqrt(np.mean((s - SUPP[:, 1]) ** 2))),
         "dlmo_before_sleep_h": (mp.SLEEP + 24.0) - prof["dlmo_plasma_10"], "peak_clock_h": prof["peak_clock"],
         "night_level_pg_ml": prof["night_level"], "cbtmin_clock_h": prof["cbtmin"] % 24.0,
         "free_running_h": freerun.period(mp.DEFAULT_MODEL, params=values), "peak_pg_ml": prof["peak"]}
    r = np.concatenate([2.0 * (s - SUPP[:, 1]) / math.sqrt(len(SUPP)),
                        [math.sqrt(0.1) * (t[k] - TARGETS[k][0]) / TARGETS[k][1] for k in ENDOGENOUS_FACTS]])
    return t, r


def evaluate(values: dict[str, float]) -> tuple[dict[str, float], np.ndarray]:
    """Every quantity the loss uses and the residual vector whose sum of squares is the loss."""
    body, rb = body_terms(values)
    a = bp.prc(3.0, X3, values)
    b = bp.prc(0.5, X05, values)
    shapes = bp.dose_comparison(bp.prc(0.5, COARSE, values), bp.prc(3.0, COARSE, values))
    t = {"rmse_3mg": bp.rmse(a.shift, Y3), "rmse_0p5mg": bp.rmse(b.shift, Y05), **shapes, **body}
    r = np.concatenate([rb, (a.shift - Y3) / math.sqrt(len(X3)), (b.shift - Y05) / math.sqrt(len(X05)),
                        [math.sqrt(0.1) * (shapes[k] - TARGETS[k][0]) / TARGETS[k][1] for k in shapes]])
    return t, r


def terms(values: dict[str, float]) -> dict[str, float]:
    return evaluate(values)[0]


def loss_of(t: dict[str, float]) -> float:
    """The loss from the terms (equal to the sum of squared residuals)."""
    if not all(math.isfinite(v) for v in t.values()):
        return 1e6
    z2 = sum(((t[k] - mu) / sd) ** 2 for k, (mu, sd) in TARGETS.items())
    return t["rmse_3mg"] ** 2 + t["rmse_0p5mg"] ** 2 + 4.0 * t["rms_suppression"] ** 2 + 0.1 * z2


# --- search coordinates: logs for scales; the forcing harmonics as Cartesian pairs (B cos θ, B sin θ), in which
# --- the PRC is nearly linear for small forcing, so Gauss-Newton converges from zero forcing
PAIRS = {"forcing_c1": ("forcing_B1", "forcing_theta1", 0), "forcing_s1": ("forcing_B1", "forcing_theta1", 1),
         "forcing_c2": ("forcing_B2", "forcing_theta2", 0), "forcing_s2": ("forcing_B2", "forcing_theta2", 1)}
CARTESIAN = ("forcing_c1", "forcing_s1", "forcing_c2", "forcing_s2", "forcing_epsilon")


def encode(values: dict[str, float], names) -> np.ndarray:
    out = []
    for n in names:
        if n in PAIRS:
            amp, ang, k = PAIRS[n]
            out.append(values[amp] * (math.cos(values[ang]) if k == 0 else math.sin(values[ang])))
        else:
            out.append(math.log10(values[n]) if n in LOG else values[n])
    return np.array(out)


def decode(theta, names, base: dict[str, float]) -> dict[str, float]:
    out = dict(base)
    cart = {}
    for n, v in zip(names, theta, strict=True):
        if n in PAIRS:
            cart[n] = float(v)
        else:
            out[n] = 10.0 ** v if n in LOG else float(v)
    for c, s, amp, ang in (("forcing_c1", "forcing_s1", "forcing_B1", "forcing_theta1"),
                           ("forcing_c2", "forcing_s2", "forcing_B2", "forcing_theta2")):
        if c in cart:
            out[amp], out[ang] = math.hypot(cart[c], cart[s]), math.atan2(cart[s], cart[c])
    return out


def bounds(names) -> tuple[list[float], list[float]]:
    lo, hi = [], []
    for n in names:
        if n in PAIRS:
            a, b = -BOUNDS[PAIRS[n][0]][1], BOUNDS[PAIRS[n][0]][1]
        elif n in LOG:
            a, b = math.log10(BOUNDS[n][0]), math.log10(BOUNDS[n][1])
        else:
            a, b = BOUNDS[n][:2]
        lo.append(a)
        hi.append(b)
    return lo, hi


class Residuals:
    """Residual vector over a subset of parameters (the rest fixed), printing progress as the loss improves."""

    def __init__(self, names, base, body_only: bool = False, quiet: bool = False):
        self.names, self.base, self.body_only, self.quiet = names, base, body_only, quiet
        self.n, self.best, self.t0 = 0, math.inf, time.time()

    def __call__(self, theta) -> np.ndarray:
        values = decode(theta, self.names, self.base)
        size = len(SUPP) + len(ENDOGENOUS_FACTS) if self.body_only else N_RESIDUALS
        try:
            r = body_terms(values)[1] if self.body_only else evaluate(values)[1]
        except (ValueError, IndexError, FloatingPointError, RuntimeError):  # a parameter set the clock breaks on
            r = np.full(size, BAD)
        r = np.where(np.isfinite(r), r, BAD)
        self.n += 1
        loss = float(r @ r)
        if loss < self.best:
            self.best = loss
            if not self.quiet:
                print(f"  eval {self.n:5d}  {time.time() - self.t0:7.0f} s  loss {loss:.4f}", flush=True)
        return r


def solve(names, values: dict[str, float], max_nfev: int, body_only: bool = False, quiet: bool = False):
    """Bounded least squares (trust region, finite-difference Jacobian) over ``names``; returns the values."""
    lo, hi = bounds(names)
    x0 = np.clip(encode(values, names), np.array(lo) + 1e-9, np.array(hi) - 1e-9)
    r = optimize.least_squares(Residuals(names, values, body_only, quiet), x0, bounds=(lo, hi), method="trf",
                               diff_step=1e-3, x_scale="jac", max_nfev=max_nfev)
    return decode(r.x, names, values)


def profile(values: dict[str, float], max_nfev: int) -> tuple[list[dict], dict[str, float]]:
    """Stage 2: for each (EC50, Hill) on the grid, the best forcing coefficients; returns the table and the best."""
    table, best = [], (math.inf, values)
    for lec in GRID_LOG10_EC50:
        for hill in GRID_HILL:
            v = dict(values)
            v["drive_ec50_pg_ml"], v["drive_hill"] = 10.0 ** lec, hill
            v = solve(CARTESIAN, v, max_nfev, quiet=True)
            t = terms(v)
            row = {"log10_ec50": lec, "hill": hill, "rmse_3mg": t["rmse_3mg"], "rmse_0p5mg": t["rmse_0p5mg"],
                   "advance_later_h": t["advance_later_h"], "loss": loss_of(t)}
            table.append(row)
            print("  EC50 {:7.1f} pg/mL  hill {:3.1f}  RMS 3 mg {:.3f}  0.5 mg {:.3f}  0.5 mg peak later by {:+.2f} h  "
                  "loss {:.4f}".format(10 ** lec, hill, row["rmse_3mg"], row["rmse_0p5mg"], row["advance_later_h"],
                                       row["loss"]), flush=True)
            if row["loss"] < best[0]:
                best = (row["loss"], v)
    return table, best[1]


def fit(max_nfev_grid: int, max_nfev_joint: int) -> tuple[dict[str, float], list[dict]]:
    values = dict(START)
    print("stage 1: endogenous profile and suppression, without the PRCs")
    values = solve(ENDOGENOUS, values, 200, body_only=True)
    print("stage 2: profile over the drive's EC50 and Hill exponent (forcing coefficients by least squares)")
    table, values = profile(values, max_nfev_grid)
    print("stage 3: every parameter together")
    names = ENDOGENOUS + CARTESIAN + ("drive_ec50_pg_ml", "drive_hill")
    values = solve(names, values, max_nfev_joint)
    print("stage 4: derivative-free polish (Nelder-Mead; markers and extremes make the loss only piecewise smooth)")
    obj = Residuals(names, values)
    lo, hi = bounds(names)
    r = optimize.minimize(lambda th: float(np.sum(obj(th) ** 2)), encode(values, names), method="Nelder-Mead",
                          bounds=list(zip(lo, hi, strict=True)),
                          options={"maxfev": 4 * max_nfev_joint + 200, "adaptive": True, "xatol": 1e-4, "fatol": 1e-6})
    return decode(r.x, names, values), table


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2.0 * math.pi) - math.pi


def shipped_table() -> list[dict]:
    """The stage-2 profile recorded in the shipped file (kept by a warm re-fit)."""
    rows = []
    for m in re.finditer(r"^#\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([+-][\d.]+)\s+([\d.]+)$",
                         OUT.read_text("utf-8"), re.M):
        ec, hill, r3, r05, adv, loss = map(float, m.groups())
        rows.append({"log10_ec50": math.log10(ec), "hill": hill, "rmse_3mg": r3, "rmse_0p5mg": r05,
                     "advance_later_h": adv, "loss": loss})
    return rows


def write(values: dict[str, float], t: dict[str, float], table: list[dict], maxfev: tuple[int, int],
          note: str = "") -> None:
    lines = [
        "# Written by scripts/calibrate_melatonin.py (do not edit by hand; re-run the script to re-derive).",
        f"# Fit of {_dt.date.today().isoformat()}; least-squares max_nfev: grid {maxfev[0]}, joint {maxfev[1]}.",
        *([f"# {note}; the full fit from START (no flags) re-derives every value."] if note else []),
        "# Data: Burgess 2008 (27 points), Burgess 2010 (34 points), Zeitzer 2000 suppression (21 points),",
        "# endogenous-profile facts (Sletten 2010, Waldhauser 1988, EN-1). Loss terms at this parameter set:",
        *(f"#   {k} = {v:.4f}" for k, v in t.items()),
        f"#   loss = {loss_of(t):.5f}",
        "# Stage-2 profile (forcing refitted at each point): EC50 pg/mL, Hill, RMS 3 mg, RMS 0.5 mg, 0.5 mg advance",
        "# peak later than 3 mg by (h), loss",
        *(f"#   {10 ** r['log10_ec50']:8.1f}  {r['hill']:3.1f}  {r['rmse_3mg']:.3f}  {r['rmse_0p5mg']:.3f}  "
          f"{r['advance_later_h']:+.2f}  {r['loss']:.4f}" for r in table),
        "",
        "[set]",
        'description = "Melatonin parameters fitted jointly to the Burgess 2008/2010 PRCs, Zeitzer 2000 suppression '
        'and endogenous-profile facts"',
    ]
    values = {**values, "forcing_theta1": _wrap(values["forcing_theta1"]),
              "forcing_theta2": _wrap(values["forcing_theta2"])}
    for name in ENDOGENOUS + FORCING:
        lo, hi, unit, what = BOUNDS[name]
        lines += ["", f"[{name}]", f"value = {float(values[name])!r}", f'unit = "{unit}"', 'cite = "pineal_fit"',
                  f'note = "{what}; bounds {lo:g}..{hi:g}"', 'fitted_by = "scripts/calibrate_melatonin.py"']
    OUT.write_text("\n".join(lines) + "\n", "utf-8")


def rerecord(reason: str) -> dict[str, float]:
    """Keep the fitted values and the profile table; recompute and rewrite the recorded loss terms."""
    t = terms(shipped())
    lines = OUT.read_text("utf-8").split("\n")
    out, done = [], False
    for line in lines:
        if re.match(r"^#\s+\w+ = -?[\d.]+$", line):
            if not done:
                out.append(f"# Terms re-recorded on {_dt.date.today().isoformat()} ({reason}); values unchanged:")
                out += [f"#   {k} = {v:.4f}" for k, v in t.items()]
                out.append(f"#   loss = {loss_of(t):.5f}")
                done = True
            continue
        out.append(line)
    OUT.write_text("\n".join(out), "utf-8")
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only evaluate the shipped parameters")
    ap.add_argument("--grid-evals", type=int, default=12, help="least-squares iterations per profile point")
    ap.add_argument("--joint-evals", type=int, default=150, help="least-squares iterations of the joint fit")
    ap.add_argument("--rerecord", metavar="REASON", help="re-record the terms of the shipped values")
    ap.add_argument("--warm", metavar="NAMES", help="comma-separated parameters (search coordinates) to refit "
                    "from the shipped values after a model change elsewhere; the other values stay")
    ap.add_argument("--why", default="issue 8: 150-lux home light", help="the model change a --warm re-fit follows "
                    "(recorded in the file)")
    args = ap.parse_args()
    if args.warm:
        names = tuple(args.warm.split(","))
        values = solve(names, shipped(), args.joint_evals)
        t = terms(values)
        write(values, t, shipped_table(), (args.grid_evals, args.joint_evals),
              note=f"warm re-fit of {', '.join(names)} from the previous fit ({args.why})")
        for k, v in t.items():
            print(f"{k:22s} {v:10.4f}")
        return
    if args.rerecord:
        for k, v in rerecord(args.rerecord).items():
            print(f"{k:22s} {v:10.4f}")
        return
    if args.check:
        t = terms(shipped())
        for k, v in t.items():
            print(f"{k:22s} {v:10.4f}")
        print(f"{'loss':22s} {loss_of(t):10.5f}")
        return
    values, table = fit(args.grid_evals, args.joint_evals)
    t = terms(values)
    write(values, t, table, (args.grid_evals, args.joint_evals))
    for k, v in t.items():
        print(f"{k:22s} {v:10.4f}")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
