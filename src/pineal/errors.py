"""The one exception type for bad input (DESIGN.md, "Errors")."""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """Bad input: the message names the field, the value given and what is allowed.

    The CLI prints the message (no traceback) and exits with status 2.
    """

    def __init__(self, field: str, value: Any, allowed: str, reason: str | None = None):
        self.field = field
        self.value = value
        self.allowed = allowed
        self.reason = reason
        shown = repr(value) if not isinstance(value, str) else f"'{value}'"
        why = f" ({reason})" if reason else ""
        super().__init__(f"{field}: {shown} is not valid{why}; allowed: {allowed}")
