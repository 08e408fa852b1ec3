"""pineal: what a melatonin dose does in a human body, with numbers and citations.

Not medical advice. See README.md for the public interface.
"""

from pineal.errors import InputError
from pineal.protocols import Protocol
from pineal.simulate import ProtocolResult, Result, simulate

__version__ = "0.1.0"

DISCLAIMER = ("pineal describes model predictions and published evidence; it is not medical advice. "
              "Talk to a doctor or pharmacist before taking melatonin, especially with other medicines, "
              "in pregnancy or breastfeeding, for children, or with a medical condition.")


def check(text) -> dict:
    """Claim check of a text: every melatonin dose and health claim with a verdict and sources (JSON-ready)."""
    from pineal.safety.claims import check as _check

    return _check(text)


__all__ = ["DISCLAIMER", "InputError", "Protocol", "ProtocolResult", "Result", "__version__", "check", "simulate"]
