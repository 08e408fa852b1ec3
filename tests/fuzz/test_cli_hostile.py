"""Hand-written hostile inputs at every CLI command and option (issue 14): exit 0 with finite JSON, or exit 2 with
one message naming the field; never a traceback, a hang or a silently accepted bad value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.helpers import FUZZ, assert_clean, assert_finite_json, invoke

MARKUP = ["[/]", "[/red]", "[bold]x[/bold]", "[link=file:///etc/passwd]x[/link]"]
BIG = "9" * 400
LONG = "x" * 5000


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Compile/load the numeric kernels once, so the per-input time limit measures the input, not the JIT."""
    code, _, err, _ = invoke("dose", "3 mg", "--at", "21:00", "--json")
    assert code == 0, err


DOSE_BAD = [  # (amount, extra options, the field the message must name)
    ("3,000 mg", [], "dose"), ("9**9**9 mg", [], "dose"), ("3 mg 4", [], "dose"), ("g", [], "dose"),
    ("kg", [], "dose"), ("ug", [], "dose"), ("1e306 kg", [], "dose"), (f"{BIG} mg", [], "dose"),
    ("10**400 mg", [], "dose"), ("1e308 mg", [], "dose"), ("1e999 mg", [], "dose"), ("nan mg", [], "dose"),
    ("inf mg", [], "dose"), ("-1 mg", [], "dose"), ("0 mg", [], "dose"), ("3", [], "dose"), ("", [], "dose"),
    ("3 mL", [], "dose"), ("3 tsp", [], "dose"), ("1_000 mg", [], "dose"), ("0x10 mg", [], "dose"),
    (LONG, [], "dose"), ("3 mg\x00", [], "dose"), ("٣ mg", [], "dose"), ("3,5,5 mg", [], "dose"),
    *[(m, [], "dose") for m in MARKUP], *[(f"3 {m}", [], "dose") for m in MARKUP],
    ("3 mg", ["--route", "[/red]"], "route"), ("3 mg", ["--route", LONG], "route"),
    ("3 mg", ["--route", ""], "route"),
    ("3 mg", ["--age", "nan"], "age"), ("3 mg", ["--age", "inf"], "age"), ("3 mg", ["--age", "-1"], "age"),
    ("3 mg", ["--age", "121"], "age"), ("3 mg", ["--age", BIG], "age"), ("3 mg", ["--age", "abc"], "--age"),
    ("3 mg", ["--with", "[/red]"], "with"), ("3 mg", ["--with", LONG], "with"),
    ("3 mg", ["--purpose", "[/]"], "purpose"),
    ("3 mg", ["--condition", "[/red]"], "condition"),
    ("3 mg", ["--sex", "x"], "sex"), ("3 mg", ["--sex", "[/]"], "sex"),
    ("3 mg", ["--weight", "0"], "weight"), ("3 mg", ["--weight", "nan"], "weight"),
    ("3 mg", ["--weight", "1e400"], "weight"), ("3 mg", ["--weight", BIG], "weight"),
    ("3 mg", ["--weight", "70 mg 4"], "weight"), ("3 mg", ["--weight", "kg"], "weight"),
    ("3 mg", ["--weight", "70 m"], "weight"), ("3 mg", ["--weight", "[/]"], "weight"),
    ("3 mg", ["--wake", "25:00"], "wake"), ("3 mg", ["--wake", "[/red]"], "wake"), ("3 mg", ["--wake", LONG], "wake"),
    ("3 mg", ["--sleep", "7"], "sleep"), ("3 mg", ["--sleep", "24:00"], "sleep"),
    ("3 mg", ["--product", "[/]"], "product"), ("3 mg", ["--product", LONG], "product"),
    ("3 mg", ["--plot", "/proc/x.png"], "plot"), ("3 mg", ["--plot", "/tmp"], "plot"),
    ("3 mg", ["--plot", "/no/such/dir/x.png"], "plot"), ("3 mg", ["--plot", "/etc/hostname/x.png"], "plot"),
    ("3 mg", ["--plot", "/tmp/" + "a" * 300 + ".png"], "plot"), ("3 mg", ["--plot", "x.txt"], "plot"),
    ("3 mg", ["--plot", "[/red].gif"], "plot"),
]


@pytest.mark.parametrize(("amount", "extra", "field"), DOSE_BAD, ids=lambda v: repr(v)[:40])
def test_dose_refuses_bad_input_clearly(amount, extra, field):
    code, out, err, s = invoke("dose", amount, "--at", "21:00", *extra, "--json")
    assert_clean(code, out, err, s, field)
    assert code == 2, f"accepted: {out[:200]}"


@pytest.mark.parametrize("at", ["25:00", "21:60", "-1:00", "[/]", "[/red]", LONG, "2026-13-01T21:00+01:00",
                                "2026-03-01T21:00", "21:00 Mars/Olympus", "21:00 [/red]/x", "\x00", ""])
def test_dose_time_is_checked(at):
    code, out, err, s = invoke("dose", "3 mg", "--at", at, "--json")
    assert_clean(code, out, err, s, "at")
    assert code == 2


DOSE_GOOD = [  # documented valid inputs and extreme-but-valid ones: exit 0, every number finite
    ("3 mg", []), ("0.5mg", []), ("500 mcg", []), ("500 µg", []), ("3,5 mg", []), ("1 g", []), ("1e-6 mg", []),
    ("1e9 mg", []), ("3 MG", []), ("3 mg", ["--route", "transdermal"]), ("3 mg", ["--route", "iv"]),
    ("3 mg", ["--route", "sublingual"]), ("3 mg", ["--route", "intranasal"]), ("3 mg", ["--route", "oral-pr"]),
    ("3 mg", ["--age", "0"]), ("3 mg", ["--age", "120"]), ("3 mg", ["--weight", "2"]),
    ("3 mg", ["--weight", "1000"]), ("3 mg", ["--weight", "154 lb"]),
    ("3 mg", ["--wake", "23:59", "--sleep", "23:58"]), ("3 mg", ["--wake", "12:03", "--sleep", "12:00"]),
    ("3 mg", ["--with", "fluvoxamine", "--with", "Caffeine", "--condition", "epilepsy", "--purpose", "sleep"]),
    ("3 mg", ["--smoker", "--fed", "--oral-contraceptive", "--pregnant", "--breastfeeding"]),
]


@pytest.mark.parametrize(("amount", "extra"), DOSE_GOOD, ids=lambda v: repr(v)[:40])
def test_dose_valid_input_gives_finite_json(amount, extra):
    code, out, err, s = invoke("dose", amount, "--at", "21:00", *extra, "--json")
    assert_clean(code, out, err, s)
    assert code == 0, err
    obj = assert_finite_json(out)
    assert obj["t_half_min"] > 0 and obj["cmax_pg_ml"] > 0


def test_decimal_comma_is_a_decimal_point_never_a_thousands_separator():
    code, out, _, _ = invoke("dose", "3,5 mg", "--at", "21:00", "--json")
    assert code == 0 and assert_finite_json(out)["dose_mg"] == 3.5


def test_human_view_prints_user_text_literally(tmp_path):
    fig = tmp_path / "[red]x[bold].png"
    code, out, err, s = invoke("dose", "3 mg", "--at", "21:00", "--plot", str(fig))
    assert_clean(code, out, err, s, limit=60)  # a valid run that draws a figure (matplotlib's first import)
    assert code == 0 and fig.exists() and "[red]x[bold].png" in out.replace("\n", "")


@pytest.mark.parametrize(("args", "field"), [
    (["experiment", "[/red]"], "experiment"), (["experiment", LONG], "experiment"),
    (["experiment", "pk", "--model", "[/]"], "model"), (["experiment", "pk", "--plot", "/proc/a.png"], "plot"),
    (["experiment", "pk", "--plot", "/tmp"], "plot"), (["experiment"], "name"),
    (["validate", "--only", "[/red]"], "experiment"), (["cite", "--set", "[/]"], "parameter set"),
    (["cite", "--set", LONG], "parameter set"), (["check", "[/]"], None), (["check", "--file", "/no/such"], "file"),
    (["check", "--file", "/proc/self/mem"], "file"), (["check", "--file", "/tmp"], "file"), (["check"], "input"),
    (["check", "x", "--file", "y"], "input"), (["simulate", "/no/such.toml"], "protocol"),
    (["simulate", "/tmp"], "protocol"), (["simulate", "[/red].toml"], "protocol"),
    (["simulate", "x.toml", "--definition", "[/]"], "definition"),
])
def test_other_commands_refuse_clearly(args, field):
    code, out, err, s = invoke(*args)
    assert_clean(code, out, err, s, field)


def test_experiment_list_works_and_is_finite():
    code, out, err, s = invoke("experiment", "--list", "--json")
    assert_clean(code, out, err, s)
    assert code == 0 and len(assert_finite_json(out)["experiments"]) >= 10
    code, out, err, _ = invoke("experiment", "--list")
    assert code == 0 and "burgess2008" in out


def test_check_prints_article_markup_literally():
    text = "Take 3 mg [/red] melatonin [/] before bed [bold]; it cures [link=x]insomnia[/link]."
    code, out, err, s = invoke("check", text)
    assert_clean(code, out, err, s)
    assert code == 0 and "[/red]" in out
    code, out, err, s = invoke("check", text, "--json")
    assert code == 0 and assert_finite_json(out)


def test_cite_json_is_finite():
    code, out, err, s = invoke("cite", "--json")
    assert_clean(code, out, err, s)
    assert code == 0 and assert_finite_json(out)["works"]


OPTIONS = ["--route", "--age", "--sex", "--weight", "--with", "--wake", "--sleep", "--product", "--purpose",
           "--condition", "--plot", "--at"]
TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["[/]", "[/red]", "nan", "inf", "-1", "1e400", "0", BIG, "",
                                                        "23:60", "--json", "-", "/proc/x.png", "/tmp"]))


@settings(max_examples=120, **FUZZ)
@given(option=st.sampled_from(OPTIONS), value=TEXT, amount=st.one_of(st.just("3 mg"), st.text(max_size=10)))
def test_dose_any_option_any_text(option, value, amount):
    args = ["dose", amount, *([] if option == "--at" else ["--at", "21:00"]), option, value, "--json"]
    code, out, err, s = invoke(*args)
    assert_clean(code, out, err, s)
    if code == 0:
        assert_finite_json(out)


@settings(max_examples=60, **FUZZ)
@given(command=st.sampled_from(["experiment", "validate --only", "cite --set", "check --file", "simulate",
                                "simulate x.toml --definition", "experiment pk --model"]), value=TEXT)
def test_other_commands_any_text(command, value):
    code, out, err, s = invoke(*command.split(), value)
    assert_clean(code, out, err, s)
    assert code == 2, out[:200]  # none of these texts names a real experiment, parameter set, file or model


def test_check_reads_standard_input():
    code, out, err, s = invoke("check", "--file", "-", "--json", stdin=b"Take 3,5 mg melatonin [/red].")
    assert_clean(code, out, err, s)
    assert code == 0 and assert_finite_json(out)
    code, out, err, s = invoke("check", "--file", "-", stdin=b"\xff\xfe\x00")
    assert_clean(code, out, err, s, "file")
    assert code == 2
