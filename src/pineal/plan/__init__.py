"""`pineal plan`: model-optimised jet-lag plans (docs/plan.md).

``plan_trip(TripRequest.build({...}), log=None)`` → (:class:`Plan`, engine, programmes); ``log``: a CSV log of what
the traveller did (``read_log(path)`` / ``parse_log(text)``) to re-plan the days left. One file per concept: ``request``
(inputs), ``itinerary`` (instants, stays, episodes), ``daylight`` (astral), ``light`` (the grid and ordinary
light), ``phase`` (starting phase), ``programme`` (one candidate with the hard rules), ``score`` (days to
adaptation), ``optimise`` (batches of candidates), ``travellers`` (virtual population), ``assemble`` (the Plan),
``result`` (pydantic output), ``checks`` (constraint audit), ``export`` (.ics, protocol TOML), ``figure``, ``log``
(the activity log format), ``replan`` (the days lived and the re-optimised rest), ``plasma`` (superposed doses),
``shifts`` and ``advance`` (night work, late sleep).
"""

from pineal.plan.assemble import plan_trip
from pineal.plan.log import ActivityLog, parse_log, read_log
from pineal.plan.request import Leg, TripRequest
from pineal.plan.result import Plan, PlanItem

__all__ = ["ActivityLog", "Leg", "Plan", "PlanItem", "TripRequest", "parse_log", "plan_trip", "read_log"]
