"""Every cap on user input, as named constants, and the small checks that enforce them (docs/inputs.md).

Each cap is checked before any work or allocation depends on the value: a day range is bounded before it is
expanded, a repeat interval before the repeats are laid out, a file's size before it is read, a number's digits
before it is converted. Every violation is an :class:`~pineal.errors.InputError` naming the field, the value and
what is allowed. The numbers are chosen so that every valid input runs in seconds and fits in memory.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

from pineal.errors import InputError

# --- numbers and amounts -------------------------------------------------------------------------------
#: characters of a number as typed ("0.000005", "3.5e-2"); longer strings are refused before conversion
MAX_NUMBER_CHARS = 32
#: digits of an exponent ("1e306" has 3)
MAX_EXPONENT_DIGITS = 3
#: dose amounts in mg (1 ng to 1 tonne): beyond these a dose is a typo, and the PK model stays finite inside them
MIN_DOSE_MG = 1e-6
MAX_DOSE_MG = 1e9
#: body weight, kg
MIN_WEIGHT_KG, MAX_WEIGHT_KG = 2.0, 1000.0
#: illuminance at the eye, lux (bright sunlight is about 100,000)
MAX_LUX = 1e5
#: age, years
MIN_AGE, MAX_AGE = 0.0, 120.0

# --- time and size of the work ------------------------------------------------------------------------
#: days of a simulation or protocol
MAX_DAYS = 366
#: subjects in one simulate() batch, and subjects x days in one run (markers-only runs at ~0.2 ms/subject-day)
MAX_SUBJECTS = 100_000
MAX_SUBJECT_DAYS = 2_000_000
#: parameter vectors pk.sample_subjects draws at once (14 floats each: 112 MB at the cap)
MAX_SAMPLED_SUBJECTS = 1_000_000
#: people in a dose report's population interval: the default, and the range a caller may ask for
#: (pineal.dose_report; fewer than 20 cannot give a 5th and a 95th percentile, 4096 costs ~16x the default)
DOSE_POPULATION = 256
DOSE_POPULATION_RANGE = (20, 4096)
#: plasma values one PK run returns (subjects x output times; 400 MB at the cap)
MAX_PK_VALUES = 50_000_000
#: shortest repeat interval of an episode within a day (every_h), so at most 96 repeats a day
MIN_EVERY_H = 0.25
#: light and sleep intervals of one protocol after expansion over its days (the schedule builder is
#: O(intervals x breakpoints)); doses of one protocol after expansion
MAX_EPISODES = 5_000
MAX_DOSES = 5_000
#: entries of one list in a protocol ([[sleep]], [[light]], [[dose]], [[measure]], a list of day numbers)
MAX_ENTRIES = 1_000

# --- text and files -----------------------------------------------------------------------------------
#: a protocol file, bytes; a string field of a protocol, characters; nesting of tables and arrays
MAX_PROTOCOL_BYTES = 1_000_000
MAX_STRING_CHARS = 10_000
MAX_DEPTH = 20
#: a CLI string that names something (a route, a drug, a clock time, an amount), characters
MAX_NAME_CHARS = 200
#: characters of a value echoed in an error message
SHOWN_CHARS = 80

_MEASURE = re.compile(r"^([+-]?)([0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE]([+-]?[0-9]+))?\s*(.*?)$", re.ASCII)


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, saying how long it was."""
    from pineal.errors import _shorten

    return _shorten(text, limit)


def check_name(value: Any, field: str, allowed: str, limit: int = MAX_NAME_CHARS) -> str:
    """A string of at most ``limit`` characters (route, drug, clock time...), else InputError."""
    if not isinstance(value, str):
        raise InputError(field, value, allowed, f"a text, not {type(value).__name__}")
    if len(value) > limit:
        raise InputError(field, value, allowed, f"longer than {limit} characters")
    return value


def split_amount(text: Any, field: str, allowed: str) -> tuple[float, str]:
    """'3.5 mg' -> (3.5, 'mg') by a grammar: a number (digits, an optional decimal point, an optional exponent of
    at most MAX_EXPONENT_DIGITS digits), then an optional unit word. Nothing is evaluated; the magnitude is
    bounded (finite, at most MAX_NUMBER_CHARS characters) before anything converts it.

    A decimal comma is read as a decimal point ("3,5 mg" is 3.5 mg); a comma followed by exactly three digits
    ("1,000 mg") is refused as ambiguous (a thousands separator in English, a decimal comma elsewhere)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        raise InputError(field, text, allowed, "a number needs a unit")
    if not isinstance(text, str):
        raise InputError(field, text, allowed, "a text with a number and a unit")
    s = text.strip()
    if not s:
        raise InputError(field, text, allowed, "empty")
    if len(s) > MAX_NAME_CHARS:
        raise InputError(field, text, allowed, f"longer than {MAX_NAME_CHARS} characters")
    m = _MEASURE.match(s)
    if not m:
        raise InputError(field, text, allowed, "not a number followed by a unit")
    sign, number, exponent, unit = m.groups()
    if len(number) + len(exponent or "") > MAX_NUMBER_CHARS:
        raise InputError(field, text, allowed, f"a number of more than {MAX_NUMBER_CHARS} characters")
    if exponent is not None and len(exponent.lstrip("+-")) > MAX_EXPONENT_DIGITS:
        raise InputError(field, text, allowed, f"an exponent of more than {MAX_EXPONENT_DIGITS} digits")
    if "," in number:
        whole, _, frac = number.partition(",")
        if len(frac) == 3 and whole:
            raise InputError(field, text, allowed, "ambiguous comma: write '1000 mg' for a thousand or '1.000 mg' "
                             "with a decimal point")
        number = f"{whole or '0'}.{frac or '0'}"
    value = float(f"{sign}{number}" + (f"e{exponent}" if exponent is not None else ""))
    if not math.isfinite(value):
        raise InputError(field, text, allowed, "not a finite number")
    return value, unit.strip()


def check_number(value: Any, field: str, low: float, high: float, allowed: str | None = None,
                 integer: bool = False, low_open: bool = False) -> float:
    """A real number (not a bool, not NaN/inf) with low <= value <= high (low < value if ``low_open``)."""
    allowed = allowed or (f"a whole number from {low:g} to {high:g}" if integer else
                          f"a number {'>' if low_open else '>='} {low:g} and <= {high:g}")
    if isinstance(value, bool) or (not isinstance(value, (int, float)) and not _is_numpy_number(value)):
        raise InputError(field, value, allowed, f"a number, not {type(value).__name__}")
    v = float(value) if not isinstance(value, int) or abs(value) < 2**53 else math.inf
    if integer and math.isfinite(v) and not v.is_integer():
        raise InputError(field, value, allowed, "not a whole number")
    if not math.isfinite(v) or v < low or v > high or (low_open and v == low):
        raise InputError(field, value, allowed)
    return v


def _is_numpy_number(value) -> bool:
    import numpy as np

    return isinstance(value, (np.integer, np.floating)) and not isinstance(value, np.bool_)


def check_day_range(first: str, last: str, n_days: int, field: str, spec: str) -> None:
    """A day range 'a-b' within 1..n_days, checked before it is expanded into a list."""
    allowed = f"a range like '2-4' within days 1-{n_days}"
    if len(first) > 4 or len(last) > 4 or not 1 <= int(first) <= int(last) <= n_days:
        raise InputError(field, spec, allowed)


def check_day_list(spec: list, n_days: int, field: str) -> None:
    """A list of day numbers: at most MAX_ENTRIES of them, each a whole number (not a bool) in 1..n_days."""
    if len(spec) > MAX_ENTRIES:
        raise InputError(field, f"{len(spec):,} entries", f"at most {MAX_ENTRIES:,} day numbers")
    for d in spec:
        check_number(d, field, 1, n_days, f"day numbers within days 1-{n_days}", integer=True)


def check_every_h(every_h: float | None, field: str) -> None:
    """Repeats within a day: every_h >= MIN_EVERY_H (at most 24 / MIN_EVERY_H repeats a day)."""
    if every_h is not None and every_h < MIN_EVERY_H:
        raise InputError(field, every_h, f"a repeat interval from {MIN_EVERY_H:g} h to 24 h "
                         f"(at most {24 / MIN_EVERY_H:.0f} repeats a day)")


def check_count(n: int, cap: int, field: str, what: str) -> None:
    """A count of intervals/doses/entries after expansion, before anything is built from them."""
    if n > cap:
        raise InputError(field, f"{n:,} {what}", f"at most {cap:,} {what}")


def check_tree(data: Any, field: str = "") -> None:
    """A parsed protocol (dicts and lists): nesting at most MAX_DEPTH, lists at most MAX_ENTRIES long, strings at
    most MAX_STRING_CHARS. Iterative, so a hostile depth cannot exhaust the stack."""
    stack = [(data, 0, field)]
    while stack:
        node, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(where or "protocol", "{...}", f"tables and arrays nested at most {MAX_DEPTH} deep")
        if isinstance(node, dict):
            stack.extend((v, depth + 1, f"{where}.{shorten(str(k), 40)}".lstrip(".")) for k, v in node.items())
        elif isinstance(node, list):
            if len(node) > MAX_ENTRIES:
                raise InputError(where, f"{len(node):,} entries", f"a list of at most {MAX_ENTRIES:,} entries")
            stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(node))
        elif isinstance(node, str) and len(node) > MAX_STRING_CHARS:
            raise InputError(where, node, f"a text of at most {MAX_STRING_CHARS:,} characters")


def reject_bool_numbers(cls, data: Any) -> Any:
    """A pydantic ``model_validator(mode="before")`` body: a TOML ``true`` is not a number (pydantic's lax mode
    would read it as 1). Fields whose type admits int or float but not bool refuse bools, also inside lists."""
    if not isinstance(data, dict):
        return data
    for name, info in cls.model_fields.items():
        if name not in data:
            continue
        kinds, v = _kinds(info.annotation), data[name]
        if kinds == {bool} and not isinstance(v, bool):
            raise InputError(name, v, "true or false")
        if bool in kinds or not kinds & {int, float}:
            continue
        if isinstance(v, bool) or (isinstance(v, list) and any(isinstance(x, bool) for x in v)):
            raise InputError(name, v, "a number (a boolean is not a number)")
    return data


def _kinds(annotation) -> set:
    """The plain types an annotation admits (through Optional, unions, Annotated and list[...])."""
    from typing import get_args

    args = get_args(annotation)
    if not args:
        return {annotation} if isinstance(annotation, type) else set()
    out: set = set()
    for a in args:
        out |= _kinds(a)
    return out


def check_output_path(path: Any, field: str, suffixes: tuple[str, ...]) -> Path:
    """A file pineal may write: a known suffix, a name the file system accepts, an existing writable folder, not a
    folder itself, not under /proc, /sys or /dev. Checked before the work that produces the file starts."""
    allowed = (f"a writable file path ending in {', '.join(suffixes)}, in an existing folder" if suffixes else
               "a writable file path in an existing folder")
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise InputError(field, path, allowed, "empty")
    text = str(path)
    if "\x00" in text:
        raise InputError(field, text, allowed, "contains a NUL character")
    p = Path(text).expanduser()
    if suffixes and p.suffix.lower() not in suffixes:
        raise InputError(field, text, allowed, "unknown file type")
    try:
        name_max = os.pathconf(p.parent if p.parent.is_dir() else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(text) > 4096 or len(os.fsencode(p.name)) > name_max:
        raise InputError(field, text, allowed, f"the file name is longer than {name_max} bytes")
    resolved = p.resolve(strict=False)
    if resolved.parts[:2] in (("/", "proc"), ("/", "sys"), ("/", "dev")):
        raise InputError(field, text, allowed, "a system folder, not a place for files")
    if p.is_dir():
        raise InputError(field, text, allowed, "this is a folder; give a file name inside it")
    parent = p.parent
    if not parent.exists():
        raise InputError(field, text, allowed, f"the folder '{parent}' does not exist")
    if not parent.is_dir():
        raise InputError(field, text, allowed, f"'{parent}' is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise InputError(field, text, allowed, "not writable")
    return p


def check_expanded_sizes(protocol, expand_days) -> None:
    """Light/sleep intervals and doses of a protocol after expansion over its days, counted before any is built."""
    n = protocol.protocol.days
    episodes = 0
    for group in ("sleep", "light"):
        for i, item in enumerate(getattr(protocol, group)):
            repeats = math.ceil(24.0 / item.every_h - 1e-9) if item.every_h else 1
            episodes += repeats * len(expand_days(item.days, n, f"{group}[{i}].days"))
    check_count(episodes, MAX_EPISODES, "sleep + light", "light and sleep intervals over the protocol's days")
    doses = sum(len(expand_days(d.days, n, f"dose[{i}].days")) for i, d in enumerate(protocol.dose))
    check_count(doses, MAX_DOSES, "dose", "doses over the protocol's days")


def check_input_file(path: Any, field: str, allowed: str, max_bytes: int) -> Path:
    """An existing regular file of at most ``max_bytes``, checked before it is read."""
    if not isinstance(path, (str, os.PathLike)) or "\x00" in str(path) or len(str(path)) > 4096:
        raise InputError(field, path if isinstance(path, str) else type(path).__name__, allowed)
    p = Path(path)
    try:
        if not p.is_file():
            raise InputError(field, str(path), allowed)
        size = p.stat().st_size
    except OSError as err:  # a name too long, a permission problem
        raise InputError(field, str(path), allowed, err.strerror) from None
    if size > max_bytes:
        raise InputError(field, f"{path} ({size:,} bytes)", f"a file of at most {max_bytes:,} bytes", "too large")
    return p
