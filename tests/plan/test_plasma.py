"""The planner's shortcuts give the model's answers: superposed single-dose plasma curves are ``simulate``'s own dose
path, and screening candidates at the grid's 15-min step ranks them as the model's 0.1-h step does."""

import numpy as np
from plan_cache import make_plan

from pineal.models import pk
from pineal.plan import plasma
from pineal.plan.travellers import sample_travellers
from pineal.simulate import simulate


def test_superposed_doses_match_simulate_for_the_typical_and_virtual_travellers():
    _, _, eng, progs = make_plan(["SFO 2027-04-01 22:30 JFK 2027-04-02 07:00"])
    prog = progs["pineal plan"]
    assert prog.doses  # this plan has melatonin
    grid = eng.ctx.grid
    days = grid.size * 0.25 / 24.0
    rows, pk_rows = sample_travellers(3, seed=1)
    y0 = simulate(days=2.0, light=eng.phase.habitual, entrain=eng.phase.habitual, params=rows, record_every=0).y_end
    fast = eng.simulate([prog] * 3, params_rows=rows, y0=y0, pk_rows=pk_rows, dt=0.1)
    slow = simulate(days=days, light=[prog.schedule(grid)] * 3, doses=[[pk.Dose(prog.dose_mg, t) for t in prog.doses]],
                    params=rows, entrain=y0, record_every=0, pk_params=pk_rows)
    a, b = np.atleast_2d(fast.cbtmin(per_day=False)), np.atleast_2d(slow.cbtmin(per_day=False))
    assert a.shape == b.shape and np.allclose(a, b, atol=1e-6, equal_nan=True)
    one = eng.simulate([prog], dt=0.1)
    ref = simulate(days=days, light=prog.schedule(grid), doses=[pk.Dose(prog.dose_mg, t) for t in prog.doses],
                   params=eng.phase.params, entrain=eng.phase.y0, record_every=0)
    assert np.allclose(one.cbtmin(per_day=False), ref.cbtmin(per_day=False), atol=1e-6, equal_nan=True)


def test_single_dose_response_has_ended_within_the_response_window():
    run = pk.simulate([pk.Dose(5.0, 0.0)], hours=plasma.RESPONSE_H, dt_h=1 / 60)
    c = run.plasma_pg_ml[0]
    assert c.max() > 100 and c[(24 * 60)] < 1e-4 and c[-1] < 1e-9
    rows = pk.sample_subjects(50, pk.Subject(), seed=0)
    assert plasma.linear([[(10.0, 5.0), (34.0, 5.0)]], rows)  # the plan's largest doses are far below the cap


def test_screening_step_keeps_the_ranking_and_the_clock():
    """Every first-batch candidate of four trips: CBTmin within 0.15 h (observed at most 0.1 h, CDG-SFO), days to
    adaptation within 0.1 d, the same five best in the same order."""
    from pineal.plan import optimise as opt

    for legs in (["SEA 2027-08-01 13:00 ICN 2027-08-02 16:00", "ICN 2027-08-12 18:00 SEA 2027-08-12 12:00"],
                 ["SFO 2027-04-01 22:30 JFK 2027-04-02 07:00"], ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"],
                 ["CDG 2027-06-10 10:00 SFO 2027-06-10 12:30"]):
        _, _, eng, _ = make_plan(legs)
        cands = eng.evaluate([opt.rule_strategy(eng), *opt.candidates(eng)])
        exact = eng.refine(cands)
        assert np.nanmax(np.abs(np.array([e.cbt for e in cands]) - np.array([e.cbt for e in exact]))) < 0.15
        for x, y in zip(cands, exact, strict=True):
            assert all(a == b or abs(a - b) < 0.1 for a, b in zip(x.days, y.days, strict=True))

        def top(evs):
            return sorted(range(len(evs)), key=lambda i: evs[i].score)[:5]

        assert top(cands) == top(exact)
