"""The one exception type for bad input (DESIGN.md, "Errors")."""

from __future__ import annotations

from typing import Any

#: characters of a value echoed in a message (pineal.limits.SHOWN_CHARS; here so errors imports nothing)
SHOWN_CHARS = 80


def _shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else f"{text[: limit - 30]}… ({len(text):,} characters)"


class InputError(ValueError):
    """Bad input: the message names the field, the value given and what is allowed.

    Attributes ``field``, ``value``, ``allowed`` and ``reason`` carry the parts (an HTTP API can return them as
    they are); a long text value is shortened to about 80 characters, in the attribute and the message. The CLI
    prints the message (no traceback, no markup) and exits with status 2.
    """

    def __init__(self, field: str, value: Any, allowed: str, reason: str | None = None):
        self.field = _shorten(str(field), 2 * SHOWN_CHARS)
        self.value = _shorten(value) if isinstance(value, str) else value
        self.allowed = allowed
        self.reason = reason
        shown = f"'{self.value}'" if isinstance(value, str) else _shorten(_safe_repr(value))
        why = f" ({reason})" if reason else ""
        super().__init__(f"{self.field}: {shown} is not valid{why}; allowed: {allowed}")


def _safe_repr(value: Any) -> str:
    """repr() that cannot fail or run long (a 400-digit int, a huge list, an object with a broken __repr__)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
    if isinstance(value, (list, tuple, dict, set)) and len(value) > 20:
        return f"<a {type(value).__name__} of {len(value):,} items>"
    try:
        return repr(value)
    except Exception:  # a hostile object's __repr__
        return f"<a {type(value).__name__}>"
