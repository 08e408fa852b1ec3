"""Virtual trials: a protocol run over a sampled population, chunked over subjects, on Dask distributed.

    pineal.trial(protocol, subjects=100_000, seed=0, client=None)  ->  TrialResult
    pineal trial PROTOCOL.toml --subjects N [--seed S] [--scheduler ADDRESS] [--json] [--out table.parquet]

* **Who**: :func:`sample_population` is the one place subjects are drawn. Today inter-individual variation is the
  PK model's (``pk.sample_subjects``: clearance, volume, bioavailability, absorption; Andersen 2016 and
  scripts/calibrate_pk.py); a person's PK also sets the body's own melatonin level (plasma volume and
  clearance). Clock and melatonin variation plug in there as parameter overrides per subject.
* **How**: subjects are split into chunks (size fixed by the protocol's length, so the same seed gives the same
  subjects and numbers on any number of workers); chunk ``k`` draws its subjects from ``(seed, k)``. Each chunk
  runs both arms of the protocol like ``pineal simulate`` — entrained to ``[habitual]`` with the subject's own
  parameters, then the intervention and the placebo arm under the same light — with markers streamed in the
  compiled solver (no time series kept), so memory is O(chunk) per worker plus a few numbers per subject.
* **Where**: a ``dask.distributed`` client you pass, a scheduler address, or by default a ``LocalCluster`` of
  one single-threaded worker process per core; chunks are futures gathered as they finish (progress bar).
* **Output**: the per-subject table (PK parameters, each ``[[measure]]`` in both arms and the shift, advance
  positive) and percentiles of every measure; Parquet (pyarrow) or CSV.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pineal.errors import InputError

MAX_SUBJECTS = 10_000_000
PERCENTILES = (5, 25, 50, 75, 95)
CHUNK_FLOATS = 4_000_000  # per chunk: 1-min PK curve + per-step input schedule ≈ 32 MB each, per worker
MAX_CHUNK = 5_000
SCHEDULER_TIMEOUT_S = 10
ENTRAIN_CHUNK_DAYS = 3  # days per entrainment check, starting from the typical person's entrained state


@dataclass
class Sample:
    """Drawn subjects: PK parameter vectors (n, pk.N_PARAMS) and per-subject model parameter overrides."""

    pk: np.ndarray
    overrides: list[dict[str, float]] | None = None  # clock/melatonin variation (None: the model's values)


def sample_population(protocol, n: int, seed) -> Sample:
    """The one place a trial draws ``n`` subjects around the protocol's ``[subject]`` (reproducible from ``seed``).

    Today: the PK model's between-subject variability. A clock or melatonin parameter distribution adds its
    draws to ``Sample.overrides`` here, and every trial uses it."""
    from pineal.models import pk

    return Sample(pk=pk.sample_subjects(int(n), protocol.subject(), seed=seed))


def chunk_size(days: float, dt: float = 0.1) -> int:
    """Subjects per chunk: the 1-min PK curve of ``days`` within ``CHUNK_FLOATS`` numbers, at most ``MAX_CHUNK``."""
    return int(max(1, min(MAX_CHUNK, CHUNK_FLOATS // int(days * 24 * 60 + 1))))


def measure_names(protocol) -> list[str]:
    """Column stem of each ``[[measure]]``: e.g. ``dlmo_day5_plasma_10``."""
    return [f"{m.marker}_day{m.day}_{m.definition}" for m in protocol.model.measure]


def run_chunk(protocol, start: int, size: int, seed: int, model: str, dt: float, common: dict[str, float],
              threads: int | None = None, anchors=None) -> dict[str, np.ndarray]:
    """Subjects ``start`` … ``start + size − 1`` of the trial: both arms, each measure per subject (columns).
    ``anchors``: the typical subject's baseline for relative times (``Protocol.anchors``)."""
    from pineal import markers, schedule, solver
    from pineal.models import pk
    from pineal.models.clock import get
    from pineal.simulate import Result, _marker, step_means

    if threads:
        import numba

        numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))
    mdl = get(model)
    smp = sample_population(protocol, size, [int(seed), int(start)])
    typical, _ = pk.individual_parameters(protocol.subject())
    p_typical = mdl.vector(_overrides(mdl, common, typical, protocol.subject().age, None))
    p = np.vstack([mdl.vector(_overrides(mdl, common, smp.pk[i], protocol.subject().age,
                                         None if smp.overrides is None else smp.overrides[i])) for i in range(size)])
    hab = protocol.model.habitual
    target = schedule.daily(hab.sleep, hab.wake, lux=hab.lux)
    # everyone starts from the protocol's typical person entrained as in `pineal simulate`, then entrains with
    # their own parameters (a few days: they are near that cycle), to the entrainment tolerance (1 min)
    y_typical = solver.entrain(mdl, target, p_typical, dt=dt)[0]
    y0 = solver.entrain(mdl, target, p, dt=dt, y0=y_typical, n_sub=size, chunk_days=ENTRAIN_CHUNK_DAYS)
    ep = protocol.episodes(anchors=anchors)
    hours = protocol.model.protocol.days * 24.0
    light = protocol.schedule(ep)
    treat_light: object = light
    if ep.doses:
        if not mdl.has_melatonin:
            raise InputError("model", model, "a model with melatonin for a protocol with doses")
        run = pk.simulate(ep.doses, hours=hours, dt_h=1.0 / 60.0, subjects=smp.pk)
        means = step_means(run.plasma_pg_ml, dt)
        edges = run.t_h[0] + dt * np.arange(means.shape[1] + 1)
        treat_light = schedule.series_batch(light, edges, means, until=hours)
    levels = markers.tracked_levels(pk.parameter_set()["saliva_plasma_ratio"]) if mdl.has_melatonin else ()
    own = smp.overrides or [{}] * size  # marker offsets change only with a person's own clock parameters
    offs = np.array([mdl.cbt_offset({**common, **o}) for o in own])
    c2d = np.array([mdl.cbt_to_dlmo({**common, **o}) for o in own])
    arms = {"treatment": treat_light}
    if protocol.model.reference.placebo:
        arms["placebo"] = light
    out: dict[str, np.ndarray] = {"subject": np.arange(start, start + size),
                                  "clearance_l_per_h": smp.pk[:, pk.P_CL], "volume_l": smp.pk[:, pk.P_V]}
    names = measure_names(protocol)
    for arm, sched in arms.items():
        r = solver.integrate(mdl, sched, y0, p, hours, dt=dt, levels=levels, cbt_offset=offs)
        res = Result(model=mdl, days=protocol.model.protocol.days, dt=dt, events=r.cbtmin, cbt_to_dlmo=c2d,
                     y_end=r.y_end, levels=r.levels, onsets=r.onsets, offsets=r.offsets)
        for name, m in zip(names, protocol.model.measure, strict=True):
            out[f"{name}_{arm}_h"] = np.atleast_2d(_marker(res, m.marker, m.definition))[:, m.day - 1]
    if "placebo" in arms:
        for name in names:
            out[f"{name}_shift_h"] = out[f"{name}_placebo_h"] - out[f"{name}_treatment_h"]
    return out


def _overrides(mdl, common: dict[str, float], pk_vector: np.ndarray, age: float,
               own: dict[str, float] | None) -> dict[str, float]:
    """One person's parameter overrides: the protocol's (intrinsic period), their PK, their own draws."""
    row = dict(common)
    if mdl.has_melatonin:
        from pineal.models.system import subject_values

        row.update(subject_values(pk_vector, age))
    row.update(own or {})
    return row


@dataclass
class TrialResult:
    """A virtual trial: the per-subject table and percentiles of every measure."""

    protocol: str
    model: str
    subjects: int
    seed: int
    table: object  # pandas.DataFrame, one row per subject
    measures: list[str] = field(default_factory=list)
    workers: int = 1

    def percentiles(self, q: Sequence[float] = PERCENTILES):
        """Percentiles of each measure per arm and of the shift (hours): measure, arm, n (finite), p5 … p95."""
        import pandas as pd

        rows = []
        for name in self.measures:
            for arm in ("treatment", "placebo", "shift"):
                col = f"{name}_{arm}_h"
                if col not in self.table:
                    continue
                v = self.table[col].to_numpy(dtype=float)
                ok = v[np.isfinite(v)]
                pct = np.percentile(ok, q) if ok.size else np.full(len(q), np.nan)
                rows.append({"measure": name, "arm": arm, "n": int(ok.size),
                             **{f"p{g:g}": float(x) for g, x in zip(q, pct, strict=True)}})
        return pd.DataFrame(rows)

    def as_json(self) -> dict:
        from pineal import DISCLAIMER

        pct = self.percentiles()
        return {"protocol": self.protocol, "model": self.model, "subjects": self.subjects, "seed": self.seed,
                "workers": self.workers, "variation": "pharmacokinetics (pk.sample_subjects)",
                "percentiles": [{k: (round(v, 4) if isinstance(v, float) and math.isfinite(v) else
                                     (None if isinstance(v, float) else v)) for k, v in r.items()}
                                for r in pct.to_dict("records")],
                "disclaimer": DISCLAIMER}

    def to_file(self, path: str | Path) -> Path:
        """The per-subject table as Parquet (``.parquet``, pyarrow) or CSV (``.csv``)."""
        p = Path(path)
        if p.suffix == ".parquet":
            self.table.to_parquet(p, engine="pyarrow", index=False)
        elif p.suffix == ".csv":
            self.table.to_csv(p, index=False)
        else:
            raise InputError("out", str(path), "a file name ending in .parquet or .csv")
        return p


def trial(protocol, subjects: int = 1000, seed: int = 0, client=None, scheduler: str | None = None,
          model: str | None = None, dt: float = 0.1, workers: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> TrialResult:
    """Run ``protocol`` (a Protocol or a TOML path) over ``subjects`` sampled people on Dask distributed.

    client: a ``distributed.Client``; else ``scheduler`` (an address such as ``tcp://host:8786``); else a
    ``LocalCluster`` with ``workers`` single-threaded processes (default: one per core), closed afterwards.
    progress(done, total) is called as chunks finish (subjects)."""
    from pineal.models.clock import get
    from pineal.protocols import Protocol
    from pineal.simulate import DEFAULT_MODEL, intrinsic_period_params
    from pineal.solver import check_dt

    proto = protocol if isinstance(protocol, Protocol) else Protocol.from_toml(protocol)
    if isinstance(subjects, bool) or not isinstance(subjects, int | np.integer) or not (
            1 <= subjects <= MAX_SUBJECTS):
        raise InputError("subjects", subjects, f"a whole number of subjects from 1 to {MAX_SUBJECTS:,}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError("seed", seed, "a whole number >= 0")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise InputError("workers", workers, "a whole number of worker processes >= 1")
    if not proto.model.measure:
        raise InputError("protocol", proto.source, "a protocol with at least one [[measure]]")
    for i, m in enumerate(proto.model.measure):  # trials record markers only, not the melatonin curve
        if m.marker not in ("dlmo", "dlmoff", "cbtmin") or m.definition == "relative_25":
            raise InputError(f"{proto.source}: measure[{i}]", f"{m.marker} ({m.definition})", "dlmo, dlmoff or "
                             "cbtmin with a threshold or phase definition in a trial (the curve markers and "
                             "relative_25 run with `pineal simulate`)")
    dt = check_dt(dt)
    model = model or DEFAULT_MODEL
    anchors = proto.anchors(model, dt)  # relative times: the protocol's typical subject (docs/protocols.md)
    if proto.model.dose and not get(model).has_melatonin:
        raise InputError("model", model, f"a model with melatonin (e.g. {DEFAULT_MODEL}) for a protocol with doses")
    tau = proto.model.subject.tau_h
    common = intrinsic_period_params(model, tau) if tau else {}
    size = chunk_size(proto.model.protocol.days, dt)
    starts = list(range(0, int(subjects), size))
    from distributed import Client, LocalCluster, as_completed

    owned = []  # what this call started and closes
    if client is None:
        if scheduler:
            try:
                client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as err:
                raise InputError("scheduler", scheduler, "the address of a running Dask scheduler, e.g. "
                                 "tcp://10.0.0.5:8786", f"cannot connect ({type(err).__name__})") from None
            owned.append(client)
        else:
            n = workers or os.cpu_count() or 1
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
            client = Client(cluster)
            owned += [client, cluster]
    try:
        threads = {w: info["nthreads"] for w, info in client.scheduler_info()["workers"].items()}
        per_worker = min(threads.values()) if threads else 1
        futures = {client.submit(run_chunk, proto, s, min(size, subjects - s), seed, model, dt, common, per_worker,
                                 anchors, pure=False): s for s in starts}
        parts: dict[int, dict] = {}
        done = 0
        for fut in as_completed(futures):
            part = fut.result()
            parts[futures[fut]] = part
            done += part["subject"].size
            fut.release()
            if progress is not None:
                progress(done, int(subjects))
        n_workers = len(threads)
    finally:
        for thing in owned:
            thing.close()
    import pandas as pd

    table = pd.concat([pd.DataFrame(parts[s]) for s in starts], ignore_index=True)
    return TrialResult(protocol=proto.name, model=model, subjects=int(subjects), seed=int(seed), table=table,
                       measures=measure_names(proto), workers=n_workers)
