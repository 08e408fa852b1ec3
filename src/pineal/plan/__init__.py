"""`pineal plan`: model-optimised jet-lag plans (docs/plan.md).

``plan_trip(TripRequest.build({...}))`` → (:class:`Plan`, engine, programmes). One file per concept: ``request``
(inputs), ``itinerary`` (instants, stays, episodes), ``daylight`` (astral), ``light`` (the grid and ordinary
light), ``phase`` (starting phase), ``programme`` (one candidate with the hard rules), ``score`` (days to
adaptation), ``optimise`` (batches of candidates), ``travellers`` (virtual population), ``assemble`` (the Plan),
``result`` (pydantic output), ``checks`` (constraint audit), ``export`` (.ics, protocol TOML), ``figure``.
"""

from pineal.plan.assemble import plan_trip
from pineal.plan.request import Leg, TripRequest
from pineal.plan.result import Plan, PlanItem

__all__ = ["Leg", "Plan", "PlanItem", "TripRequest", "plan_trip"]
