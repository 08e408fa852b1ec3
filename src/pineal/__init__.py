"""pineal: what a melatonin dose does in a human body, with numbers and citations.

Not medical advice. See README.md for the public interface. The simulation layers (numba kernels) load on first
use, so ``import pineal`` and ``pineal --help`` stay fast.
"""

from importlib import import_module

from pineal.errors import InputError

__version__ = "0.1.0"

DISCLAIMER = ("pineal describes model predictions and published evidence; it is not medical advice. "
              "Talk to a doctor or pharmacist before taking melatonin, especially with other medicines, "
              "in pregnancy or breastfeeding, for children, or with a medical condition.")

#: public names loaded on first access: name -> module
_LAZY = {"Protocol": "pineal.protocols", "ProtocolResult": "pineal.simulate", "Result": "pineal.simulate",
         "simulate": "pineal.simulate", "trial": "pineal.trials", "TrialResult": "pineal.trials"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pineal' has no attribute {name!r}")


def check(text) -> dict:
    """Claim check of a text: every melatonin dose and health claim with a verdict and sources (JSON-ready)."""
    from pineal.safety.claims import check as _check

    return _check(text)


__all__ = ["DISCLAIMER", "InputError", "Protocol", "ProtocolResult", "Result", "TrialResult", "__version__", "check",
           "simulate", "trial"]
