"""Bad and large inputs, property tests of the extractor, and the `pineal check` command."""

import json
import math
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import pineal
from pineal.cli import _register, app
from pineal.errors import InputError
from pineal.safety.check_schema import CheckReport
from pineal.safety.claims import extract_claims, extract_doses
from pineal.safety.text import MAX_BYTES

_register()
runner = CliRunner()

DOSEY = st.text(alphabet=st.one_of(st.sampled_from(list("0123456789.,-–/ mgcµμuklorandtvitamnMGK\n")), st.characters()),
                max_size=300)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), DOSEY))
def test_extractor_never_crashes_and_amounts_are_positive_finite(text):
    for d in extract_doses(text):
        assert math.isfinite(d.amount_mg) and d.amount_mg > 0
        if d.amount_high_mg is not None:
            assert math.isfinite(d.amount_high_mg) and d.amount_high_mg >= d.amount_mg
    extract_claims(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["melatonin", "3 mg", "1,000mg", "vitamin C", "no", "not", "immunity", "safe",
                                 "children", ".", ",", "0.5-5 mg", "headache", "side effects", "500 mcg",
                                 "99999999999999 mg", "0 mg", "mg/kg"]), max_size=40))
def test_check_of_word_salad_always_validates(words):
    text = " ".join(words)
    if not text.strip():
        with pytest.raises(InputError):
            pineal.check(text)
        return
    CheckReport.model_validate(pineal.check(text))


@pytest.mark.parametrize("bad", ["", "   \n\t ", "abc\x00def", b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xfe\xfa bad",
                                 None, 42])
def test_bad_texts_are_input_errors(bad):
    with pytest.raises(InputError) as err:
        pineal.check(bad)
    assert "allowed:" in str(err.value) and "1 MB" in str(err.value)


def test_text_over_the_size_limit_is_refused():
    with pytest.raises(InputError, match="too large"):
        pineal.check("a" * (MAX_BYTES + 1))


def test_one_megabyte_text_finishes():
    unit = ("Melatonin 3 mg helps sleep, but 1000 mg vitamin C does not boost immunity; no evidence of dependency. "
            "Side effects include headache. ")
    text = (unit * (MAX_BYTES // len(unit)))[: MAX_BYTES - 10]
    t0 = time.perf_counter()
    r = pineal.check(text)
    assert time.perf_counter() - t0 < 60  # generous: linear-time extraction takes a few seconds
    assert r["doses"][0]["occurrences"] > 1000


def test_one_megabyte_without_punctuation_finishes():
    text = ("melatonin 3 mg immunity not safe " * 40000)[:MAX_BYTES]
    r = pineal.check(text)
    assert r["doses"][0]["adult_equivalent_mg"] == 3


# ------------------------------------------------------------------ CLI


def test_cli_json_from_file_validates(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Take 0.5 mg of melatonin for jet lag. Melatonin boosts immunity.", encoding="utf-8")
    res = runner.invoke(app, ["check", "--file", str(f), "--json"])
    assert res.exit_code == 0, res.output
    rep = CheckReport.model_validate(json.loads(res.stdout))
    assert rep.doses[0].adult_equivalent_mg == 0.5
    assert {c.topic for c in rep.claims} >= {"jet_lag", "immunity"}


def test_cli_human_report_has_verdicts_sources_and_disclaimer():
    res = runner.invoke(app, ["check", "I take 1000 mg of melatonin to boost my immune system."],
                        env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "dangerous" in out and "insufficient evidence" in out
    assert "not medical advice" in out and "https://" in out


def test_cli_human_report_fits_80_columns_and_quotes_every_mention():
    article = Path(__file__).parents[1] / "data" / "articles" / "06-parkerslegacy-melatonin-2-year-old.txt"
    res = runner.invoke(app, ["check", "--file", str(article)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    report = pineal.check(article.read_text(encoding="utf-8"))
    flat = " ".join(res.stdout.split())
    for m in report["mentions"]:
        assert " ".join(m["quote"].split())[:60] in flat
    source_rows = [i for i, line in enumerate(lines) if line.startswith("     - ") and "https://" in line]
    assert source_rows
    # at most 3 sources per statement block
    runs, run = [], 0
    for i in range(len(lines)):
        run = run + 1 if i in source_rows else 0
        runs.append(run)
    assert max(runs) <= 3


def _cli_error(args):
    import subprocess
    import sys

    code = "from pineal.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_cli_errors_exit_2_without_traceback(tmp_path):
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    big = tmp_path / "big.txt"
    big.write_bytes(b"melatonin 3 mg. " * (10 * 1024 * 1024 // 16))  # 10 MB
    empty = tmp_path / "e.txt"
    empty.write_text("")
    cases = {("check", "--file", str(binary)): "binary", ("check", "--file", str(big)): "too large",
             ("check", "--file", str(empty)): "empty", ("check",): "either TEXT or --file",
             ("check", "--file", str(tmp_path / "missing.txt")): "existing"}
    for args, words in cases.items():
        p = _cli_error(list(args))
        assert p.returncode == 2, (args, p.stderr)
        assert "Traceback" not in p.stderr and words in " ".join(p.stderr.split()), (args, p.stderr)


def test_cli_reads_stdin():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-c", "from pineal.cli import main; main()", "check", "--file", "-", "--json"],
                       input=b"Melatonin 0.3 mg before bed.", capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["doses"][0]["amount_mg"] == 0.3


def test_cli_human_report_of_the_sample_article():
    from pathlib import Path

    article = Path(__file__).parents[1] / "data" / "articles" / "seed-1000mg-melatonin.txt"
    res = runner.invoke(app, ["check", "--file", str(article)], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "1000 mg" in out and "overdose range" in out and "missing: somnolence, hypothermia, interactions" in out
    assert out.count("not medical advice") >= 2  # at the top and at the end


def test_unpaired_surrogates_are_input_errors_and_never_crash_the_extractor():
    """A str with a lone surrogate (possible from Python or a JSON escape) is not UTF-8 text: spaCy would raise
    UnicodeEncodeError. The check refuses it by name; the extractors read it with U+FFFD in its place."""
    text = "Take 3 mg of melatonin \ud800 before bed."
    with pytest.raises(InputError) as err:
        pineal.check(text)
    assert "U+D800" in str(err.value) and "surrogate" in str(err.value)
    assert [d.amount_mg for d in extract_doses(text)] == [3.0]
    extract_claims(text)
