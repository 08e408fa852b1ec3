"""Virtual trials on Dask (issue 12): a chunk reproduces `pineal simulate`, the same seed gives the same people on
any number of workers, tables to Parquet/CSV, percentiles, the CLI, clear errors."""

import json

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from pineal import trials
from pineal.cli import _register, app
from pineal.errors import InputError
from pineal.models import pk
from pineal.protocols import Protocol
from pineal.simulate import run_protocol

PROTOCOL = {
    "protocol": {"name": "two evenings", "days": 2},
    "habitual": {"sleep": "23:00", "wake": "07:00"},
    "sleep": [{"start": "23:00", "end": "07:00", "days": "all"}],
    "dose": [{"amount": "3 mg", "time": "19:00", "days": 1}],
    "measure": [{"marker": "dlmo", "day": 2, "definition": "plasma_10"},
                {"marker": "cbtmin", "day": 2, "definition": "phase"}],
}
TOML = """
[protocol]
name = "two evenings"
days = 2
[habitual]
sleep = "23:00"
wake = "07:00"
[[sleep]]
start = "23:00"
end = "07:00"
days = "all"
[[dose]]
amount = "3 mg"
time = "19:00"
days = 1
[[measure]]
marker = "dlmo"
day = 2
definition = "plasma_10"
"""


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as c:
        yield c


def test_a_chunk_of_typical_people_reproduces_pineal_simulate(monkeypatch):
    proto = Protocol.from_dict(PROTOCOL)
    typical, _ = pk.individual_parameters(proto.subject())
    monkeypatch.setattr(trials, "sample_population", lambda p, n, seed: trials.Sample(pk=np.tile(typical, (n, 1))))
    part = trials.run_chunk(proto, 0, 3, 0, "hannay2019+melatonin", 0.1, {})
    ref = run_protocol(proto).markers()
    # the trial entrains from the typical person's entrained state, `simulate` from the model's default state:
    # both stop at the entrainment tolerance (markers one period apart within 1 min)
    for name, row in zip(trials.measure_names(proto), ref, strict=True):
        for arm in ("treatment", "placebo"):
            np.testing.assert_allclose(part[f"{name}_{arm}_h"], row[f"{arm}_h"], atol=1.0 / 60.0)
        np.testing.assert_allclose(part[f"{name}_shift_h"], row["shift_h"], atol=1e-3)  # arms share the start
    assert ref[0]["shift_h"] > 0.1  # an evening dose advances the next DLMO: the comparison is not trivial


def test_same_seed_same_people_on_any_number_of_workers(client, monkeypatch):
    monkeypatch.setattr(trials, "chunk_size", lambda days, dt=0.1: 7)  # several chunks
    proto = Protocol.from_dict(PROTOCOL)
    seen = []
    a = trials.trial(proto, subjects=20, seed=3, client=client, progress=lambda d, t: seen.append((d, t)))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as one, \
            Client(one) as c1:
        b = trials.trial(proto, subjects=20, seed=3, client=c1)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert seen[-1] == (20, 20) and len(seen) == 3
    assert list(a.table["subject"]) == list(range(20))
    assert a.table["clearance_l_per_h"].nunique() == 20  # people differ
    c = trials.trial(proto, subjects=20, seed=4, client=client)
    assert not np.allclose(c.table["clearance_l_per_h"], a.table["clearance_l_per_h"])
    pct = a.percentiles()
    assert list(pct["arm"]) == ["treatment", "placebo", "shift"] * 2
    shift = pct[(pct.measure == "dlmo_day2_plasma_10") & (pct.arm == "shift")].iloc[0]
    assert shift["p5"] <= shift["p50"] <= shift["p95"] and shift["p50"] > 0.1
    assert shift["p95"] - shift["p5"] > 0.01  # PK variation spreads the shift


def test_table_to_parquet_and_csv(client, tmp_path):
    res = trials.trial(Protocol.from_dict(PROTOCOL), subjects=5, seed=1, client=client)
    for name in ("t.parquet", "t.csv"):
        back = pd.read_parquet(res.to_file(tmp_path / name)) if name.endswith("parquet") else pd.read_csv(
            res.to_file(tmp_path / name))
        np.testing.assert_allclose(back["dlmo_day2_plasma_10_shift_h"], res.table["dlmo_day2_plasma_10_shift_h"])
    with pytest.raises(InputError, match="parquet or .csv"):
        res.to_file(tmp_path / "t.xlsx")
    obj = res.as_json()
    assert obj["subjects"] == 5 and "not medical advice" in obj["disclaimer"]


@pytest.mark.parametrize("kw", [{"subjects": 0}, {"subjects": 2.5}, {"subjects": True}, {"seed": -1},
                                {"workers": 0}, {"model": "forger1999"}, {"model": "nope"}, {"dt": 2.0}])
def test_bad_trial_input(kw):
    args = {"subjects": 3, **kw}
    with pytest.raises(InputError):
        trials.trial(Protocol.from_dict(PROTOCOL), **args)


def test_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(trials, "SCHEDULER_TIMEOUT_S", 1)
    with pytest.raises(InputError, match="scheduler"):
        trials.trial(Protocol.from_dict(PROTOCOL), subjects=2, scheduler="tcp://127.0.0.1:9")


def test_chunks_bound_memory():
    assert trials.chunk_size(366) >= 1
    assert 1 <= trials.chunk_size(0.01) <= trials.MAX_CHUNK
    assert trials.chunk_size(30) * (30 * 24 * 60 + 1) <= trials.CHUNK_FLOATS


def test_cli_trial_json_and_table(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text(TOML)
    runner = CliRunner()
    _register()
    out = tmp_path / "people.csv"
    r = runner.invoke(app, ["trial", str(f), "--subjects", "4", "--workers", "1", "--json", "--out", str(out)])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.output)
    assert obj["subjects"] == 4 and obj["table"] == str(out) and len(pd.read_csv(out)) == 4
    r = runner.invoke(app, ["trial", str(f), "--subjects", "0"])
    assert r.exit_code != 0
    r = runner.invoke(app, ["trial", str(f), "--out", "x.txt"])
    assert r.exit_code != 0 and "parquet" in str(r.exception or r.output)
