"""The vectorised batch kernel (subjects as the inner loop) gives today's per-subject kernel's numbers (issue 12).

Both kernels call the same one-subject model code (the vectorised one with pineal.vmath bound where the models use
pineal.libm), so this compares the two paths on whatever the models are now: CBTmin and melatonin-crossing times
within 1e-6 h, final states and records within 1e-6 relative, for every clock model and the system model, with per-
subject parameters (including ones that change the number of bright-light sub-steps), per-subject input values on a
shared grid, and more subjects than one block.
"""

import numpy as np
import pytest

from pineal import schedule, solver
from pineal.models import clock
from pineal.models import system as system_model


def _light() -> schedule.Schedule:
    """Room light, a dim evening and an 8000-lux morning pulse (sub-steps), repeating daily."""
    return schedule.daily(sleep=23.5, wake=7.0, lux=150.0).with_light(7.0, 9.5, 8000.0)


def _subjects(mdl, n):
    """n subjects: spread initial states, and parameters that differ per subject (period and light sensitivity)."""
    y0 = np.tile(mdl.initial, (n, 1))
    y0[:, 0] *= np.linspace(0.9, 1.1, n)
    y0[:, 1] += np.linspace(-0.3, 0.3, n)
    vals = mdl.values()
    key = "alpha0" if "alpha0" in vals else None
    rows = []
    for i in range(n):
        over = mdl.intrinsic_period(23.9 + 0.5 * i / max(n - 1, 1))
        if key:
            over[key] = vals[key] * (1.0 + 3.0 * i / max(n - 1, 1))  # a subject with 4x the rate: more sub-steps
        rows.append(mdl.vector(over))
    return y0, np.array(rows)


def _same(a: solver.Run, b: solver.Run):
    np.testing.assert_array_equal(np.isnan(a.cbtmin), np.isnan(b.cbtmin))
    np.testing.assert_allclose(a.cbtmin, b.cbtmin, rtol=0, atol=1e-6, equal_nan=True)
    np.testing.assert_allclose(a.y_end, b.y_end, rtol=1e-6, atol=1e-12)
    if a.states is not None:
        np.testing.assert_allclose(a.states, b.states, rtol=1e-6, atol=1e-12)
    if a.onsets is not None:
        np.testing.assert_allclose(a.onsets, b.onsets, rtol=0, atol=1e-6, equal_nan=True)
        np.testing.assert_allclose(a.offsets, b.offsets, rtol=0, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("name", clock.names())
def test_vectorised_equals_per_subject_kernel(name):
    mdl = clock.get(name)
    y0, p = _subjects(mdl, 5)
    kw = dict(hours=96.0, dt=0.1, record_every=7, levels=(3.0, 10.0))
    vec = solver.integrate(mdl, _light(), y0, p, **kw)
    old = solver.integrate(mdl, _light(), y0, p, vectorise=False, **kw)
    assert np.isfinite(vec.cbtmin).sum() >= 10  # markers were found, so the comparison says something
    _same(vec, old)
    # a single subject runs on the per-subject kernel (libm) by default: the batch's numbers to a few ulp per step
    one = solver.integrate(mdl, _light(), y0[2], p[2], **kw)
    np.testing.assert_allclose(one.y_end[0], vec.y_end[2], rtol=1e-9)
    np.testing.assert_array_equal(one.y_end[0], old.y_end[2])  # and exactly the per-subject kernel's


def test_system_model_per_subject_doses_on_a_shared_grid_and_several_blocks():
    """Exogenous melatonin per subject (series_batch: one breakpoint grid, values per subject), more subjects
    than one vectorised block, parameters per subject: the trial's case."""
    mdl = clock.get(system_model.NAME)
    n = solver.BLOCK + 3
    y0, p = _subjects(mdl, n)
    edges = np.arange(0.0, 48.25, 0.25)
    conc = np.outer(np.linspace(0.0, 3.0, n), 2000.0 * np.exp(-np.arange(edges.size - 1) * 0.25 / 1.5))
    batch = schedule.series_batch(schedule.daily(sleep=23.0, wake=7.0, lux=150.0), edges, conc, until=48.0)
    assert solver.shared_grid(batch)
    vec = solver.integrate(mdl, batch, y0, p, 48.0, dt=0.1, levels=(10.0,))
    old = solver.integrate(mdl, batch, y0, p, 48.0, dt=0.1, levels=(10.0,), vectorise=False)
    assert np.ptp(vec.y_end[:, 4]) > 1.0  # the doses differ and show in plasma melatonin
    _same(vec, old)


def test_schedules_with_different_breakpoints_use_the_per_subject_kernel():
    scheds = [schedule.daily(sleep=23.0, wake=7.0), schedule.daily(sleep=22.0, wake=6.5)]
    assert not solver.shared_grid(schedule.stack(scheds))
    mdl = clock.get("forger1999")
    run = solver.integrate(mdl, scheds, np.tile(mdl.initial, (2, 1)), mdl.vector(), 72.0)
    assert np.all(np.isfinite(run.y_end))
