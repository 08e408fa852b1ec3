from functools import lru_cache

from pineal.plan import TripRequest, plan_trip


@lru_cache(maxsize=64)
def _plan(legs: tuple[str, ...], extra: tuple = ()):
    req = TripRequest.build({"legs": list(legs), "population": 0,
                             **{k: list(v) if isinstance(v, tuple) else v for k, v in extra}})
    return (req, *plan_trip(req))


def make_plan(legs, **extra):
    """(request, plan, engine, programmes), cached across tests (each plan runs the model)."""
    return _plan(tuple(legs), tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in extra.items())))
