"""simulate(pk_params=...): one PK parameter row per subject for the doses (used by the plan's population band)."""

import numpy as np
import pytest

from pineal.errors import InputError
from pineal.models import pk
from pineal.simulate import simulate


def test_per_subject_pk_rows_change_the_dose_curve_only():
    rows = pk.sample_subjects(2, seed=3)
    rows[1] = rows[0]
    rows[1, pk.P_CL] *= 3.0  # the second subject clears melatonin three times faster
    dose = [pk.Dose.parse("3 mg", time_h=20.0)]
    res = simulate(days=1.0, doses=[dose, dose], pk_params=rows, record_every=1)
    peak = res.exogenous.max(axis=1)
    assert peak[1] < 0.7 * peak[0]
    same = simulate(days=1.0, doses=[dose, dose], pk_params=np.vstack([rows[0], rows[0]]), record_every=1)
    assert np.allclose(same.exogenous[0], same.exogenous[1])


def test_pk_rows_must_match_the_batch():
    with pytest.raises(InputError, match="pk_params"):
        simulate(days=1.0, doses=[pk.Dose(1.0, 20.0)], pk_params=pk.sample_subjects(3))
