"""Shared checks of the fuzz suite: run the CLI in-process, and assert every number in a result is finite.

``invoke`` runs ``pineal.cli.main`` (the console script, including its error printing) with arguments, in this
process, and returns (exit code, stdout, stderr, seconds). Anything other than a clean exit 0 or 2 surfaces as the
exception itself, so a traceback fails the test that caused it.
"""

from __future__ import annotations

import io
import json
import math
import os
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

from hypothesis import HealthCheck

from pineal.cli import main

#: hypothesis settings of the suite: the same examples on every CI run (set PINEAL_FUZZ_RANDOM=1 to explore)
FUZZ = {"deadline": None, "derandomize": not os.environ.get("PINEAL_FUZZ_RANDOM"),
        "suppress_health_check": [HealthCheck.too_slow]}

#: the slowest a single hostile input may take once the compiled code is warm (seconds)
MAX_SECONDS = 5.0

#: JSON keys whose null means "not applicable / not found", documented in docs/dose-json.md and docs/protocols.md
NULLABLE = {"oral_bioavailability", "dlmo_shift_h", "dlmo_without_dose", "dlmo_with_dose", "plot", "dlmo", "dlmoff",
            "cbtmin", "dlmo_h", "dlmoff_h", "cbtmin_h", "treatment_clock", "placebo_clock", "treatment_h",
            "placebo_h", "shift_h", "model", "amount_high_mg", "pk", "cite", "code",
            # a dose of no named product / no release half-life (docs/dose-json.md); a protocol without a placebo
            # arm (docs/protocols.md); what a claim-check mention's own sentence does not say (docs/check-json.md)
            "product", "release_h", "placebo_days", "population", "purpose", "frequency",
            # protocol v2: no relative times (anchors), a marker without a definition or a night without a value
            "anchors", "definition", "treatment_value", "placebo_value"}


def invoke(*args: str, stdin: bytes = b"") -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    argv, sys.argv = sys.argv, ["pineal", *args]
    real_stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    code = 0
    start = time.perf_counter()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, sys.stdin = argv, real_stdin
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def non_finite(obj, path: str = "", nullable=NULLABLE) -> list[str]:
    """Paths of NaN/inf numbers, and of nulls where a number belongs (any key not in ``nullable``)."""
    bad: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if v is None and k not in nullable:
                bad.append(f"{path}.{k}=null")
            else:
                bad += non_finite(v, f"{path}.{k}", nullable)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            bad += non_finite(v, f"{path}[{i}]", nullable) if v is not None else [f"{path}[{i}]=null"]
    elif isinstance(obj, float) and not math.isfinite(obj):
        bad.append(f"{path}={obj}")
    return bad


def assert_finite_json(text: str) -> dict:
    """Parse a command's JSON (strictly: NaN/Infinity literals are errors) and assert every number is finite."""
    def refuse(token):
        raise AssertionError(f"non-finite literal {token} in JSON")

    obj = json.loads(text, parse_constant=refuse)
    bad = non_finite(obj)
    assert not bad, f"non-finite or null numbers: {bad[:10]}"
    return obj


def assert_clean(code: int, out: str, err: str, seconds: float, field: str | None = None,
                 limit: float = MAX_SECONDS) -> None:
    """Exit 0, or exit 2 with one 'error:' message naming ``field``; no traceback; fast."""
    assert code in (0, 2), f"exit {code}: {err[-2000:]}"
    assert "Traceback" not in err + out
    assert seconds < limit, f"took {seconds:.1f} s"
    if code == 2:
        flat = " ".join(err.split())
        assert flat.startswith("error:") or "Usage:" in err, err
        if field is not None:
            assert field in flat, f"{field!r} not named in: {flat[:300]}"
        assert len(flat) < 1500, "the message echoes too much"
