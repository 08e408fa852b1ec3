"""Exogenous melatonin pharmacokinetics: dose (amount, route, time) -> plasma melatonin.

Structure (models.md §10; pharmacology.md A):

* one central compartment, V = 1.2 L/kg and CL = 0.0218 L/min/kg (Andersen 2016, IV arm);
* oral immediate release: two parallel first-order absorption routes (a fast fraction and a slow remainder).
  One first-order rate cannot give both the observed tmax (~41-52 min) and the apparent oral t1/2 (45-66 min),
  which is longer than the IV t1/2 (39 min); a slow absorbed fraction explains both (rates fitted by
  ``scripts/calibrate_pk.py``);
* first-pass hepatic extraction in the well-stirred form F_h = 1 / (1 + a R / (1 + r / r50)): R sets the
  typical oral bioavailability F0 = 1/(1+R), a is CYP1A2 activity (fluvoxamine, caffeine, smoking, age), and the
  extraction saturates with the absorption flux r (DAMSEL2, Galley 2022). Interactions therefore act on F, not on
  systemic CL, as Härtter 2000 observed (t1/2 unchanged);
* dissolution before absorption: a swallowed solid dissolves first order into the fluid that carries it (the
  water taken with the dose plus the small bowel's own water); once solid is plentiful that fluid is saturated
  (solubility x volume) and melatonin dissolves only as fast as the saturated solution is absorbed (Noyes-Whitney
  with the sink kept by absorption), so above ~30 mg absorption becomes zero order and tmax grows with dose;
  solid not dissolved when it leaves the small intestine (mean transit 3.3 h) is not absorbed;
* prolonged release: first-order release into the gut, its half-life set by the product (params/products.toml;
  generic default 3.75 h from the Circadin SmPC), optionally with an immediate-release part;
* sublingual / intranasal / transdermal: absorption that bypasses first pass (rates in params/pk.toml; several
  are flagged assumptions);
* IV bolus and infusion straight into plasma.

The right-hand side is written once (``pk_rhs``) and integrated by a compiled fixed-step RK4 loop over a batch
of subjects. Amounts are in µg, time in hours, concentrations reported in pg/mL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numba
import numpy as np

from pineal import limits
from pineal import params as _params
from pineal.errors import InputError
from pineal.quantities import parse_mass_mg
from pineal.routes import ROUTE_ALLOWED, ROUTES

#: dose times in model hours (the longest run is limits.MAX_DAYS days; a little room either side)
MAX_DOSE_TIME_H = 24.0 * 1000

#: CYP1A2-acting co-medications and exposures the model quantifies (name -> parameter holding its activity)
INTERACTING_DRUGS = {"fluvoxamine": "fluvoxamine_cyp1a2_activity", "caffeine": "caffeine_cyp1a2_activity",
                     "ciprofloxacin": "ciprofloxacin_cyp1a2_activity"}

# state indices (amounts in µg)
PR_DEPOT, GUT_FAST, GUT_SLOW, MUCOSA, NASAL, SKIN, CENTRAL, FIRST_PASS, ELIMINATED, NOT_ABSORBED, SOLID = range(11)
N_STATES = 11
# per-subject parameter vector
(P_V, P_CL, P_KA_FAST, P_KA_SLOW, P_F_FAST, P_AR, P_R50, P_K_REL, P_K_TM, P_K_NASAL, P_K_SKIN, P_F_TM,
 P_F_NASAL, P_F_SKIN, P_K_DISS, P_CAP, P_K_TR, P_REL_VAR) = range(18)
N_PARAMS = 18
# where a bolus enters (the compiled loop's event codes)
ENTRY_SOLID, ENTRY_PR, ENTRY_MUCOSA, ENTRY_NASAL, ENTRY_IV, ENTRY_DISSOLVED = range(6)


def parameter_set():
    """The literature set merged with the calibrated set (pk.toml + pk_fit.toml)."""
    lit, fit = _params.load("pk"), _params.load("pk_fit")
    merged = dict(lit.params)
    merged.update(fit.params)
    return _params.ParamSet(name="pk", description=lit.description, params=merged)


@dataclass(frozen=True)
class Subject:
    """A person's covariates. Defaults: a 70-kg, 30-year-old non-smoking man, fasted, no co-medication."""

    weight_kg: float = 70.0
    age: float = 30.0
    sex: str = "m"
    smoker: bool = False
    fed: bool = False
    oral_contraceptive: bool = False
    hepatic_impairment: bool = False
    drugs: tuple[str, ...] = ()
    #: multiplies the typical oral bioavailability (e.g. a study population's own F / typical F)
    bioavailability_scale: float = 1.0

    def __post_init__(self):
        limits.check_number(self.weight_kg, "weight", limits.MIN_WEIGHT_KG, limits.MAX_WEIGHT_KG,
                            "a body weight between 2 and 1000 kg")
        limits.check_number(self.age, "age", limits.MIN_AGE, limits.MAX_AGE, "an age in years between 0 and 120")
        if not isinstance(self.sex, str) or self.sex not in ("m", "f"):
            raise InputError("sex", self.sex, "'m' or 'f'")
        for name in ("smoker", "fed", "oral_contraceptive", "hepatic_impairment"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise InputError(name, getattr(self, name), "True or False")
        if isinstance(self.drugs, str) or not isinstance(self.drugs, (tuple, list)) \
                or not all(isinstance(d, str) and len(d) <= limits.MAX_NAME_CHARS for d in self.drugs):
            raise InputError("drugs", self.drugs, "a tuple of drug names, e.g. ('fluvoxamine',)")
        limits.check_number(self.bioavailability_scale, "bioavailability_scale", 0.0, 100.0,
                            "a positive number up to 100", low_open=True)
        drugs = tuple(d.strip().lower() for d in self.drugs)
        object.__setattr__(self, "drugs", drugs)
        for d in drugs:
            if d not in INTERACTING_DRUGS:
                raise InputError("with", d, f"one of {', '.join(INTERACTING_DRUGS)} (drugs whose effect on "
                                 "melatonin PK has a published magnitude)")


@dataclass(frozen=True)
class Dose:
    """One administration: amount in mg, route, time in model hours; duration for infusions and patches."""

    amount_mg: float
    time_h: float = 0.0
    route: str = "oral-ir"
    duration_h: float | None = None  # IV infusion or transdermal wear; None = bolus / default wear
    #: oral-pr: first-order release half-life (h); None = the generic default (pk.toml)
    release_h: float | None = None
    #: oral-pr: fraction released at once (surge-sustained products); the rest follows ``release_h``
    immediate_fraction: float = 0.0
    #: sublingual: fraction absorbed through the mucosa and its absorption half-life; None = pk.toml defaults
    mucosal_fraction: float | None = None
    mucosal_half_life_h: float | None = None
    #: oral-ir: already dissolved (liquids, solutions): no dissolution step
    dissolved: bool = False
    #: the product library id this dose came from (pineal.products), for reports
    product: str | None = None

    def __post_init__(self):
        limits.check_number(self.amount_mg, "dose", limits.MIN_DOSE_MG, limits.MAX_DOSE_MG,
                            "a positive, finite amount in mg from 1e-6 (1 ng) to 1e9 (1,000 kg)")
        if not isinstance(self.route, str) or self.route not in ROUTES:
            raise InputError("route", self.route, ROUTE_ALLOWED)
        limits.check_number(self.time_h, "time", -MAX_DOSE_TIME_H, MAX_DOSE_TIME_H,
                            f"a finite time in model hours within ±{MAX_DOSE_TIME_H:g}")
        if self.duration_h is not None:
            limits.check_number(self.duration_h, "duration", 0.0, 72.0, "an infusion or wear time between 0 and "
                                "72 h", low_open=True)
        if self.release_h is not None and not (isinstance(self.release_h, (int, float))
                                               and math.isfinite(self.release_h) and 0 < self.release_h <= 24):
            raise InputError("release-h", self.release_h, "a release half-life between 0 and 24 h")
        if not (math.isfinite(self.immediate_fraction) and 0 <= self.immediate_fraction <= 1):
            raise InputError("immediate_fraction", self.immediate_fraction, "a fraction from 0 to 1")
        if self.mucosal_fraction is not None and not (math.isfinite(self.mucosal_fraction)
                                                      and 0 <= self.mucosal_fraction <= 1):
            raise InputError("mucosal_fraction", self.mucosal_fraction, "a fraction from 0 to 1")
        if self.mucosal_half_life_h is not None and not (math.isfinite(self.mucosal_half_life_h)
                                                         and 0 < self.mucosal_half_life_h <= 24):
            raise InputError("mucosal_half_life_h", self.mucosal_half_life_h, "a half-life between 0 and 24 h")

    @classmethod
    def parse(cls, amount, time_h: float = 0.0, route: str = "oral-ir", duration_h: float | None = None,
              release_h: float | None = None) -> Dose:
        mg = amount if isinstance(amount, (int, float)) and not isinstance(amount, bool) else parse_mass_mg(amount)
        if release_h is not None and route != "oral-pr":
            raise InputError("release-h", release_h, "only with --route oral-pr (a prolonged-release product)")
        cls(mg, time_h, route, duration_h, release_h=release_h)  # __post_init__ checks every field (types, ranges)
        return cls(float(mg), float(time_h), route, None if duration_h is None else float(duration_h),
                   release_h=release_h)


def cyp1a2_activity(subject: Subject, ps=None) -> tuple[float, list[str]]:
    """Relative CYP1A2 activity (1 = typical adult) and the assumptions it used."""
    ps = ps or parameter_set()
    a, assumed = 1.0, []
    for drug in subject.drugs:
        a *= ps[INTERACTING_DRUGS[drug]]
        if ps.params[INTERACTING_DRUGS[drug]].cite == "pineal_assumption":
            assumed.append(INTERACTING_DRUGS[drug])
    if subject.smoker:
        a *= ps["smoking_cyp1a2_activity"]
        assumed.append("smoking_cyp1a2_activity")
    if subject.oral_contraceptive:
        a *= ps["oral_contraceptive_cyp1a2_activity"]
        assumed.append("oral_contraceptive_cyp1a2_activity")
    if subject.age > 40:
        a *= max(0.25, 1.0 - ps["age_cyp1a2_decline_per_year"] * (subject.age - 40.0))
    return a, assumed


def individual_parameters(subject: Subject, ps=None) -> tuple[np.ndarray, list[str]]:
    """The per-subject parameter vector for ``pk_rhs`` and the list of assumed (uncited-magnitude) values used."""
    ps = ps or parameter_set()
    p = np.zeros(N_PARAMS)
    w = subject.weight_kg
    cl = ps["clearance_l_per_min_per_kg"] * 60.0 * w * (ps["clearance_female_ratio"] if subject.sex == "f" else 1.0)
    assumed: list[str] = []
    if subject.hepatic_impairment:
        cl *= ps["hepatic_impairment_clearance_ratio"]
        assumed.append("hepatic_impairment_clearance_ratio")
    a, more = cyp1a2_activity(subject, ps)
    assumed += more
    k_diss = math.log(2.0) / ps["dissolution_half_life_h"]
    k_tr = 1.0 / ps["small_intestinal_transit_h"]
    lost = k_tr / (k_diss + k_tr)  # undissolved fraction carried past the small intestine at low doses
    f0 = min(0.99, ps["oral_bioavailability_typical"] * subject.bioavailability_scale)
    f0 = min(0.99, f0 / (1.0 - lost))  # escaping fraction that gives the typical F after that loss
    ratio = (1.0 - f0) / f0  # R: intrinsic first-pass clearance relative to hepatic flow, typical subject
    a_r = a * ratio
    if subject.fed:  # food: oral exposure x food_absorption_ratio through the first-pass term
        f_fast = 1.0 / (1.0 + a_r)
        f_fed = min(0.99, f_fast * ps["food_absorption_ratio"])
        a_r = (1.0 - f_fed) / f_fed
    p[P_V] = ps["volume_l_per_kg"] * w
    p[P_CL] = cl
    p[P_KA_FAST] = ps["ka_fast_per_h"]
    p[P_KA_SLOW] = ps["ka_slow_per_h"]
    p[P_F_FAST] = ps["fast_fraction"]
    p[P_AR] = a_r
    p[P_R50] = ps["first_pass_saturation_flux_ug_per_h"]
    p[P_K_REL] = math.log(2.0) / ps["pr_release_half_life_h"]
    p[P_K_TM] = math.log(2.0) / ps["transmucosal_absorption_half_life_h"]
    p[P_K_NASAL] = math.log(2.0) / ps["intranasal_absorption_half_life_h"]
    p[P_K_SKIN] = math.log(2.0) / ps["transdermal_skin_half_life_h"]
    p[P_F_TM] = ps["transmucosal_fraction"]
    p[P_F_NASAL] = ps["intranasal_bioavailability"]
    p[P_F_SKIN] = ps["transdermal_bioavailability"]
    p[P_K_DISS] = k_diss
    # most melatonin that can be in solution in the gut at once: solubility x (water with the dose + small bowel)
    p[P_CAP] = ps["aqueous_solubility_mg_per_ml"] * (ps["dose_water_ml"] + ps["small_bowel_water_ml"]) * 1000.0
    p[P_K_TR] = k_tr
    p[P_REL_VAR] = 1.0
    return p, assumed


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def pk_rhs(y, p, iv_rate, skin_rate, dydt):
    """d(amounts)/dt in µg/h for one subject (see module docstring). ``iv_rate``, ``skin_rate`` in µg/h."""
    release = p[P_K_REL] * y[PR_DEPOT]
    # dissolution: first order while the gut fluid is far from saturated; once solid is plentiful the fluid is
    # saturated (Cs x volume) and melatonin dissolves only as fast as that saturated solution is absorbed
    v_max = p[P_CAP] * (p[P_F_FAST] * p[P_KA_FAST] + (1.0 - p[P_F_FAST]) * p[P_KA_SLOW])
    first_order = p[P_K_DISS] * y[SOLID]
    dissolving = first_order / (1.0 + first_order / v_max)
    passing = p[P_K_TR] * y[SOLID]  # undissolved solid leaving the small intestine
    abs_fast = p[P_KA_FAST] * y[GUT_FAST]
    abs_slow = p[P_KA_SLOW] * y[GUT_SLOW]
    portal = abs_fast + abs_slow
    escaping = 1.0 / (1.0 + p[P_AR] / (1.0 + portal / p[P_R50]))  # well-stirred, saturable extraction
    k_el = p[P_CL] / p[P_V]
    mucosal = p[P_K_TM] * y[MUCOSA]
    nasal = p[P_K_NASAL] * y[NASAL]
    dermal = p[P_K_SKIN] * y[SKIN]
    dydt[PR_DEPOT] = -release
    dydt[SOLID] = -dissolving - passing
    dydt[GUT_FAST] = release + p[P_F_FAST] * dissolving - abs_fast
    dydt[GUT_SLOW] = (1.0 - p[P_F_FAST]) * dissolving - abs_slow
    dydt[MUCOSA] = -mucosal
    dydt[NASAL] = -nasal
    dydt[SKIN] = skin_rate - dermal
    dydt[CENTRAL] = escaping * portal + mucosal + nasal + dermal + iv_rate - k_el * y[CENTRAL]
    dydt[FIRST_PASS] = (1.0 - escaping) * portal
    dydt[ELIMINATED] = k_el * y[CENTRAL]
    dydt[NOT_ABSORBED] = passing


@numba.njit(cache=True, error_model="numpy")
def _give(y, p, entry, amount):
    """Put a bolus (µg) into its entry compartment (ENTRY_* codes)."""
    if entry == ENTRY_SOLID:  # swallowed tablet or capsule: dissolves first
        y[SOLID] += amount
    elif entry == ENTRY_DISSOLVED:  # swallowed solution
        y[GUT_FAST] += amount * p[P_F_FAST]
        y[GUT_SLOW] += amount * (1.0 - p[P_F_FAST])
    elif entry == ENTRY_PR:
        y[PR_DEPOT] += amount
    elif entry == ENTRY_MUCOSA:
        y[MUCOSA] += amount
    elif entry == ENTRY_NASAL:
        y[NASAL] += amount * p[P_F_NASAL]
        y[NOT_ABSORBED] += amount * (1.0 - p[P_F_NASAL])
    elif entry == ENTRY_IV:
        y[CENTRAL] += amount


@numba.njit(cache=True, parallel=True, error_model="numpy")
def solve_batch(p_batch, dt, n_steps, stride, ev_step, ev_route, ev_amount, amount_scale, iv_rate, skin_rate,
                skin_loss):
    """RK4 over ``n_steps`` of ``dt`` h for each subject (rows of ``p_batch``).

    Events (bolus doses) act at the start of their step; ``iv_rate``/``skin_rate`` (µg/h, per step, shared) are
    held constant over each step's own interval. Returns plasma (µg/L) every ``stride`` steps and final states.
    """
    n_sub = p_batch.shape[0]
    n_out = n_steps // stride + 1
    out = np.empty((n_sub, n_out))
    final = np.zeros((n_sub, N_STATES))
    for s in numba.prange(n_sub):
        p = p_batch[s]
        y = np.zeros(N_STATES)
        k1 = np.empty(N_STATES)
        k2 = np.empty(N_STATES)
        k3 = np.empty(N_STATES)
        k4 = np.empty(N_STATES)
        tmp = np.empty(N_STATES)
        e = 0
        out[s, 0] = 0.0
        for i in range(n_steps):
            while e < ev_step.shape[0] and ev_step[e] == i:
                _give(y, p, ev_route[e], ev_amount[e] * amount_scale[s])
                e += 1
            y[NOT_ABSORBED] += skin_loss[i] * amount_scale[s] * dt
            iv = iv_rate[i] * amount_scale[s]
            sk = skin_rate[i] * amount_scale[s]
            pk_rhs(y, p, iv, sk, k1)
            for j in range(N_STATES):
                tmp[j] = y[j] + 0.5 * dt * k1[j]
            pk_rhs(tmp, p, iv, sk, k2)
            for j in range(N_STATES):
                tmp[j] = y[j] + 0.5 * dt * k2[j]
            pk_rhs(tmp, p, iv, sk, k3)
            for j in range(N_STATES):
                tmp[j] = y[j] + dt * k3[j]
            pk_rhs(tmp, p, iv, sk, k4)
            for j in range(N_STATES):
                y[j] += dt * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]) / 6.0
            if (i + 1) % stride == 0:
                out[s, (i + 1) // stride] = y[CENTRAL] / p[P_V]
        for j in range(N_STATES):
            final[s, j] = y[j]
    return out, final


@dataclass
class PKRun:
    """Plasma melatonin from exogenous doses, per subject: ``plasma_pg_ml`` has shape (subjects, times)."""

    t_h: np.ndarray
    plasma_pg_ml: np.ndarray
    final_states_ug: np.ndarray
    doses: tuple[Dose, ...]
    assumptions: list[str] = field(default_factory=list)

    @property
    def given_ug(self) -> float:
        return sum(d.amount_mg for d in self.doses) * 1000.0


def simulate(doses, subject: Subject | None = None, hours: float = 24.0, dt_h: float = 1.0 / 60.0,
             output_every_h: float | None = None, subjects: np.ndarray | None = None,
             amount_scale: np.ndarray | None = None) -> PKRun:
    """Simulate doses for one subject, or for a batch (``subjects``: array (n, N_PARAMS) of parameter vectors).

    Doses are applied at the start of the step containing their time (steps of ``dt_h``, default 1 min).
    ``amount_scale`` (n,) multiplies every dose per subject (e.g. label-content uncertainty).
    """
    if isinstance(doses, (str, bytes)) or not isinstance(doses, (Dose, list, tuple)):
        raise InputError("doses", type(doses).__name__, "a Dose or a list of pk.Dose objects")
    doses = tuple(doses) if not isinstance(doses, Dose) else (doses,)
    if not doses:
        raise InputError("doses", "[]", "at least one dose")
    if not all(isinstance(d, Dose) for d in doses):
        raise InputError("doses", next(type(d).__name__ for d in doses if not isinstance(d, Dose)),
                         "pk.Dose objects, e.g. pk.Dose.parse('3 mg', time_h=21)")
    if subject is not None and not isinstance(subject, Subject):
        raise InputError("subject", type(subject).__name__, "a pineal.models.pk.Subject or None")
    limits.check_number(hours, "hours", 0.0, 24.0 * 60, "a simulated duration between 0 and 1440 h", low_open=True)
    limits.check_number(dt_h, "dt", 1e-4, 0.1, "a step between 0.0001 and 0.1 h (6 min); absorption half-lives "
                        "are minutes")
    if output_every_h is not None:
        limits.check_number(output_every_h, "output_every_h", dt_h, hours, f"an output interval from the step "
                            f"({dt_h:g} h) to the run's length ({hours:g} h)")
    assumptions: list[str] = []
    if subjects is None:
        p, assumptions = individual_parameters(subject or Subject())
        subjects = p[None, :]
    subjects = _check_batch(subjects)
    n_steps = round(hours / dt_h)
    stride = max(1, round((output_every_h or dt_h) / dt_h))
    limits.check_count(subjects.shape[0] * (n_steps // stride + 1), limits.MAX_PK_VALUES, "subjects x outputs",
                       "plasma values in one run (use fewer subjects or a larger output_every_h)")
    if amount_scale is not None:
        amount_scale = np.asarray(amount_scale, dtype=float)
        if amount_scale.shape != (subjects.shape[0],) or not np.all(np.isfinite(amount_scale)) \
                or np.any(amount_scale < 0):
            raise InputError("amount_scale", amount_scale.shape, f"{subjects.shape[0]} finite factors >= 0")
    iv_rate = np.zeros(n_steps)
    skin_rate = np.zeros(n_steps)
    skin_loss = np.zeros(n_steps)
    events = []
    ps = parameter_set()
    for d in doses:
        if d.time_h < 0 or d.time_h >= hours:
            raise InputError("dose time", d.time_h, f"a time within the simulated 0-{hours:g} h")
        step = math.floor(d.time_h / dt_h + 1e-9)
        ug = d.amount_mg * 1000.0
        if d.route == "iv" and d.duration_h:
            n = max(1, round(d.duration_h / dt_h))
            iv_rate[step:step + n] += ug / (n * dt_h)
        elif d.route == "transdermal":
            wear = d.duration_h or ps["transdermal_wear_h"]
            n = max(1, round(wear / dt_h))
            f_skin = ps["transdermal_bioavailability"]
            skin_rate[step:step + n] += f_skin * ug / (n * dt_h)
            skin_loss[step:step + n] += (1.0 - f_skin) * ug / (n * dt_h)
        else:
            events += _entries(d, step, ug, subjects[0], ps)
        if d.route in ("transdermal",):
            assumptions += ["transdermal_bioavailability", "transdermal_skin_half_life_h"]
        if d.route == "sublingual" and d.mucosal_fraction is None:
            assumptions += ["transmucosal_fraction", "transmucosal_absorption_half_life_h"]
        if d.route in ("oral-ir", "oral-pr") and d.amount_mg * 1000.0 > subjects[0, P_CAP]:
            assumptions += ["aqueous_solubility_mg_per_ml"]
        if d.route == "intranasal":
            assumptions += ["intranasal_bioavailability (animal data)"]
    subjects = _with_dose_kinetics(np.ascontiguousarray(subjects, dtype=np.float64), doses)
    events.sort()
    ev = np.array(events, dtype=np.float64).reshape(-1, 3)
    scale = np.ones(subjects.shape[0]) if amount_scale is None else np.asarray(amount_scale, dtype=float)
    out, final = solve_batch(np.ascontiguousarray(subjects, dtype=np.float64), dt_h, n_steps, stride,
                             ev[:, 0].astype(np.int64), ev[:, 1].astype(np.int64), ev[:, 2].copy(), scale,
                             iv_rate, skin_rate, skin_loss)
    t = np.arange(out.shape[1]) * stride * dt_h
    return PKRun(t_h=t, plasma_pg_ml=out * 1000.0, final_states_ug=final, doses=doses,
                 assumptions=sorted(set(assumptions)))


def _entries(d: Dose, step: int, ug: float, p: np.ndarray, ps) -> list[tuple[int, int, float]]:
    """The bolus events one dose makes: (step, ENTRY_* code, µg)."""
    if d.route == "oral-ir":
        return [(step, ENTRY_DISSOLVED if d.dissolved else ENTRY_SOLID, ug)]
    if d.route == "oral-pr":
        out = [(step, ENTRY_PR, ug * (1.0 - d.immediate_fraction))]
        if d.immediate_fraction > 0:
            out.append((step, ENTRY_SOLID, ug * d.immediate_fraction))
        return out
    if d.route == "sublingual":  # part through the mucosa, the rest swallowed in saliva (dissolved)
        f = p[P_F_TM] if d.mucosal_fraction is None else d.mucosal_fraction
        return [(step, ENTRY_MUCOSA, ug * f), (step, ENTRY_DISSOLVED, ug * (1.0 - f))]
    if d.route == "intranasal":
        return [(step, ENTRY_NASAL, ug)]
    return [(step, ENTRY_IV, ug)]  # iv bolus


def _check_batch(subjects) -> np.ndarray:
    """A batch of parameter vectors: (n, N_PARAMS), finite, positive volumes and clearances."""
    arr = np.asarray(subjects, dtype=float) if isinstance(subjects, np.ndarray) else None
    if arr is None or arr.ndim != 2 or arr.shape[1] != N_PARAMS \
            or not 1 <= arr.shape[0] <= limits.MAX_SAMPLED_SUBJECTS or not np.all(np.isfinite(arr)) \
            or np.any(arr[:, [P_V, P_CL]] <= 0):
        raise InputError("subjects", getattr(subjects, "shape", type(subjects).__name__),
                         f"an array (n, {N_PARAMS}) of finite parameter vectors (pk.sample_subjects), "
                         f"n <= {limits.MAX_SAMPLED_SUBJECTS:,}")
    return arr


def _with_dose_kinetics(subjects: np.ndarray, doses: tuple[Dose, ...]) -> np.ndarray:
    """Set the product-specific rates (release, mucosal absorption) the doses carry; one value per run."""
    for attr, col, name in (("release_h", P_K_REL, "release-h"), ("mucosal_half_life_h", P_K_TM,
                                                                   "mucosal_half_life_h")):
        values = {getattr(d, attr) for d in doses if getattr(d, attr) is not None}
        if len(values) > 1:
            raise InputError(name, sorted(values), "one value per simulation (simulate products with different "
                             "release kinetics separately)")
        if values:
            subjects = subjects.copy()
            rate = math.log(2.0) / values.pop()
            subjects[:, col] = rate * (subjects[:, P_REL_VAR] if col == P_K_REL else 1.0)
    return subjects


def sample_subjects(n: int, subject: Subject | None = None, seed: int | None = 0, quasi: bool = False) -> np.ndarray:
    """Draw ``n`` parameter vectors with log-normal between-subject variability (CL, V, F, absorption, release).

    CVs of CL and V from Andersen 2016; the spread of oral F and of ka from scripts/calibrate_pk.py; the spread
    of the release rate of prolonged-release products from Ait Abdellah 2023 (tmax SD/mean). ``quasi``: the five
    standard-normal draws come from a scrambled Sobol sequence (scipy.stats.qmc; ``n`` a power of 2 fills it
    evenly), so percentiles settle with far fewer people than pseudo-random draws need.
    """
    limits.check_number(n, "n", 1, limits.MAX_SAMPLED_SUBJECTS, f"a whole number of subjects from 1 to "
                        f"{limits.MAX_SAMPLED_SUBJECTS:,}", integer=True)
    n = int(n)
    if subject is not None and not isinstance(subject, Subject):
        raise InputError("subject", type(subject).__name__, "a pineal.models.pk.Subject or None")
    allowed = "None, a whole number >= 0, or a list of up to 8 of them (e.g. [seed, chunk] for a trial's chunks)"
    if isinstance(seed, (list, tuple)):
        if not 1 <= len(seed) <= 8:
            raise InputError("seed", seed, allowed)
        seed = [int(limits.check_number(s, "seed", 0, 2**63 - 1, allowed, integer=True)) for s in seed]
    elif seed is not None:
        seed = int(limits.check_number(seed, "seed", 0, 2**63 - 1, allowed, integer=True))
    ps = parameter_set()
    base, _ = individual_parameters(subject or Subject(), ps)
    rng = np.random.default_rng(seed)
    if quasi:
        z = iter(_sobol_normals(n, tuple(seed) if isinstance(seed, list) else seed))

    def normal(mean, sd, size):
        return mean + sd * next(z) if quasi else rng.normal(mean, sd, size)

    def lognormal(cv, size):
        sd = math.sqrt(math.log(1.0 + cv * cv))
        return np.exp(normal(-0.5 * sd * sd, sd, size))

    out = np.repeat(base[None, :], n, axis=0)
    cl, v = lognormal(ps["clearance_cv"], n), lognormal(ps["volume_cv"], n)
    out[:, P_CL] *= cl
    out[:, P_V] *= v
    ka = lognormal(ps["ka_cv"], n)
    out[:, P_KA_FAST] *= ka
    out[:, P_KA_SLOW] *= ka
    f0 = 1.0 / (1.0 + base[P_AR])
    f = np.clip(f0 * np.exp(normal(0.0, ps["oral_bioavailability_logsd"], n)), 1e-4, 0.99)
    out[:, P_AR] = (1.0 - f) / f
    rel = lognormal(ps["release_cv"], n)
    out[:, P_REL_VAR] = rel
    out[:, P_K_REL] *= rel
    return out


@lru_cache(maxsize=32)
def _sobol_normals(n: int, seed) -> np.ndarray:
    """Five rows of ``n`` standard-normal draws from a scrambled Sobol sequence (made once per n and seed)."""
    import warnings

    from scipy.stats import norm, qmc

    with warnings.catch_warnings():  # n not a power of 2 is allowed (a little less balanced)
        warnings.simplefilter("ignore", UserWarning)
        u = qmc.Sobol(d=5, scramble=True, seed=np.random.default_rng(seed)).random(n)
    z = norm.ppf(np.clip(u, 1e-12, 1.0 - 1e-12)).T
    z.flags.writeable = False
    return z


def with_subject(subject: Subject, **changes) -> Subject:
    return replace(subject, **changes)
