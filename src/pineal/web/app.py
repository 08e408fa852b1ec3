"""`pineal serve`: the HTTP API and the web pages, one FastAPI app (docs/web.md).

The API takes and returns the objects of the CLI's ``--json`` (``pineal.schemas``). CPU-bound work runs in a
pool of warm worker processes (``pineal.web.pool``) under a per-request time budget. Bad input gets 422 with the
field, the value and what is allowed (the CLI's ``InputError`` message); an oversized body gets 413; an overrun
budget 503. Pages are server-rendered (Jinja2) with one small script and one style sheet shipped in the package.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from pineal import DISCLAIMER, __version__
from pineal.errors import InputError
from pineal.plan import Plan, TripRequest
from pineal.plan.request import AdvanceRequest, ShiftsRequest
from pineal.schemas import (
    CheckReport,
    CheckRequest,
    CiteJSON,
    DoseJSON,
    DoseRequest,
    SimulateJSON,
    SimulateRequest,
    ValidateJSON,
    cite_json,
)
from pineal.web import airports, highlight, planform
from pineal.web.pool import BudgetExceeded, JobFailed, WorkerCrashed, WorkerPool

log = logging.getLogger("pineal.web")

#: largest request body (bytes): the check's 1 MB text limit plus room for the JSON or form around it
MAX_BODY_BYTES = 1_048_576
SECURITY_HEADERS = {
    "content-security-policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
#: the interactive API docs (Swagger UI 5, shipped by the fastapi-offline package and served from /docs-assets,
#: started by /static/docs.js: no CDN, no inline script) set inline styles on its elements: that page alone allows them
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class Settings:
    workers: int | None = None          # worker processes; None = one per core
    budget_s: float = 30.0              # per-request time budget for dose, check and simulate
    plan_budget_s: float = 60.0         # a trip plan (0.3-3 s warm; up to 6 legs and 200 virtual travellers)
    validate_budget_s: float = 900.0    # running every experiment once (then cached)
    max_body_bytes: int = MAX_BODY_BYTES


class ApiError(Exception):
    def __init__(self, status: int, detail: Any):
        self.status, self.detail = status, detail


def _problem(field: str, value: Any, allowed: str, reason: str | None = None) -> dict[str, Any]:
    return {"field": field, "value": value, "allowed": allowed, "reason": reason,
            "message": str(InputError(field, value, allowed, reason))}


# ----------------------------------------------------------------------------------------- middleware (ASGI)
class LimitsAndHeaders:
    """Security headers on every response; bodies over the limit answered 413 before they are read in full."""

    def __init__(self, app, max_body_bytes: int):
        self.app, self.max = app, max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                for k, v in SECURITY_HEADERS.items():
                    if k == "content-security-policy" and path == "/docs":
                        v = DOCS_CSP
                    headers.append((k.encode(), v.encode()))
                message = {**message, "headers": headers}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max):
            return await self._too_large(send_with_headers, length.decode(errors="replace"))
        seen, over = 0, False

        async def counted_receive():
            # a body without a length (chunked) is counted as it arrives; past the limit the app sees its end,
            # and whatever it answers is replaced by the 413
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max:
                    over = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        replaced = False

        async def send_unless_over(message):
            nonlocal replaced
            if not over:
                return await send_with_headers(message)
            if not replaced:
                replaced = True
                await self._too_large(send_with_headers, f"more than {self.max:,}")

        await self.app(scope, counted_receive, send_unless_over)

    async def _too_large(self, send, shown: str):
        body = JSONResponse({"detail": [_problem("body", f"{shown} bytes", f"a request body of at most "
                                                 f"{self.max:,} bytes", "too large")]}, status_code=413)
        await body({"type": "http"}, None, send)




# ----------------------------------------------------------------------------------------------------- app
def create_app(settings: Settings | None = None, pool: WorkerPool | None = None) -> FastAPI:
    """The app; its lifespan starts (and stops) the worker pool unless one is given already started."""
    settings = settings or Settings()
    own_pool = pool is None
    pool = pool or WorkerPool(settings.workers)
    validation: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if own_pool:
            await asyncio.get_running_loop().run_in_executor(None, pool.start)
        yield
        if own_pool:
            pool.stop()

    app = FastAPI(title="pineal", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="What a melatonin dose does in a human body. The same objects as the CLI's --json "
                              f"(docs/web.md). {DISCLAIMER}")
    app.state.pool, app.state.settings = pool, settings
    app.add_middleware(LimitsAndHeaders, max_body_bytes=settings.max_body_bytes)
    templates = Jinja2Templates(directory=str(resources.files("pineal.web") / "templates"))
    templates.env.globals.update(disclaimer=DISCLAIMER, version=__version__)
    templates.env.filters["num"] = _num
    app.mount("/static", StaticFiles(directory=str(resources.files("pineal.web") / "static")), name="static")
    app.mount("/docs-assets", StaticFiles(directory=str(resources.files("fastapi_offline") / "static")),
              name="docs-assets")

    async def run(job: str, budget_s: float | None = None, **kwargs):
        t0 = time.perf_counter()
        try:
            return await pool.run(job, budget_s or settings.budget_s, **kwargs)
        except BudgetExceeded:
            raise ApiError(503, [{"field": None, "message": f"the {job} request took longer than its time budget "
                                  f"of {budget_s or settings.budget_s:g} s and was stopped; try a shorter protocol "
                                  "or again later"}]) from None
        except JobFailed as err:
            if err.kind == "input":
                raise ApiError(422, [err.detail]) from None
            raise ApiError(500, [{"field": None, "message": f"internal error ({err.detail['message']}); it has "
                                  "been logged"}]) from None
        except WorkerCrashed:
            raise ApiError(500, [{"field": None, "message": f"the worker computing {job} stopped; it has been "
                                  "replaced, please try again"}]) from None
        finally:
            log.debug("%s in %.3f s", job, time.perf_counter() - t0)

    # ------------------------------------------------------------------------------------- error handlers
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, err: ApiError):
        return JSONResponse({"detail": err.detail}, status_code=err.status)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, err: InputError):
        return JSONResponse({"detail": [_problem(err.field, _plain(err.value), err.allowed, err.reason)]},
                            status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, err: RequestValidationError):
        return JSONResponse({"detail": [_from_pydantic(e) for e in err.errors()]}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": [{"field": None, "message": f"internal error ({type(err).__name__}); it has "
                                         "been logged"}]}, status_code=500)

    # ------------------------------------------------------------------------------------------------ API
    @app.post("/api/dose", response_model=DoseJSON, tags=["api"],
              summary="What one dose does (`pineal dose --json`)")
    async def api_dose(req: DoseRequest):
        # the worker built the CLI's own object: sent as it is, not validated again against DoseJSON (the tests
        # check that it matches; re-validating cost the event loop ~2 ms per request)
        return JSONResponse((await run("dose", request=req.model_dump(by_alias=True)))["report"])

    @app.post("/api/check", response_model=CheckReport, tags=["api"],
              summary="Doses and health claims in a text (`pineal check --json`)")
    async def api_check(req: CheckRequest) -> dict:
        return await run("check", text=req.text)

    @app.post("/api/simulate", response_model=SimulateJSON, tags=["api"],
              summary="Run a protocol file's TOML text (`pineal simulate --json`)")
    async def api_simulate(req: SimulateRequest) -> dict:
        return await run("simulate", protocol=req.protocol, definition=req.definition)

    @app.post("/api/plan", response_model=Plan, tags=["api"],
              summary="A jet-lag plan for a trip (`pineal plan trip --json`; docs/plan.md)",
              responses={200: {"content": {"text/calendar": {}, "image/svg+xml": {}}}})
    async def api_plan(req: TripRequest, format: Annotated[
            Literal["json", "ics", "svg"], Query(description="json (the plan), ics (its calendar) or svg "
                                                 "(its figure)")] = "json"):
        out = await run("plan", settings.plan_budget_s, request=req.model_dump(), figure=format == "svg")
        if format == "ics":
            return Response(out["ics"], media_type="text/calendar",
                            headers={"content-disposition": 'attachment; filename="pineal-plan.ics"'})
        if format == "svg":
            return Response(out["svg"], media_type="image/svg+xml")
        return out["plan"]

    @app.post("/api/plan/advance", response_model=Plan, tags=["api"],
              summary="A gradual advance of late sleep (`pineal plan advance --json`; docs/plan.md)")
    async def api_plan_advance(req: AdvanceRequest) -> dict:
        return await run("advance", settings.plan_budget_s, request=req.model_dump(by_alias=True))

    @app.post("/api/plan/shifts", tags=["api"],
              summary="A night-work plan for a roster given as text (`pineal plan shifts --json`; docs/plan.md)")
    async def api_plan_shifts(req: ShiftsRequest) -> dict:
        return await run("shifts", settings.plan_budget_s, request=req.model_dump())

    @app.get("/api/airports", tags=["api"], summary="Airports by IATA code, city or name (for the planner's form)")
    def api_airports(q: Annotated[str, Query(min_length=1, max_length=60, description="What to look for.")],
                     limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict:
        return {"airports": airports.search(q, limit)}

    async def validation_json(only: str | None) -> dict:
        if only:
            return await run("validate", settings.validate_budget_s, names=[only])
        if "task" not in validation:  # every experiment once per server; later callers share the result
            validation["task"] = asyncio.ensure_future(run("validate", settings.validate_budget_s))
        try:
            return await asyncio.shield(validation["task"])
        except ApiError:
            validation.pop("task", None)
            raise

    @app.get("/api/validate", response_model=ValidateJSON, tags=["api"],
             summary="Every experiment vs its published data (`pineal validate --json`)")
    async def api_validate(only: Annotated[str | None, Query(description="One experiment by name.")] = None) -> dict:
        return await validation_json(only)

    @app.get("/api/cite", response_model=CiteJSON, tags=["api"],
             summary="The works behind the parameters (`pineal cite --json`)")
    def api_cite(set: Annotated[str | None, Query(description="Only one parameter set.")] = None) -> dict:
        return cite_json(set)

    @app.get("/api/health", tags=["api"], summary="Liveness, version and workers")
    def api_health() -> dict:
        return {"status": "ok", "version": __version__, "workers": pool.size,
                "warm_up_s": round(pool.started_s, 2), "disclaimer": DISCLAIMER}

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The interactive OpenAPI page, every file from this server (works offline)."""
        return templates.TemplateResponse(request, "docs.html", {})

    # ---------------------------------------------------------------------------------------------- pages
    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/dose", response_class=HTMLResponse, include_in_schema=False)
    async def dose_page(request: Request) -> HTMLResponse:
        q = request.query_params
        form = _dose_form(q)
        if "amount" not in q:
            return page(request, "dose.html", form=form)
        try:
            fields = {k: form[k] for k in (*DOSE_FIELDS, *DOSE_FLAGS)}
            fields["product"] = fields["product"] or None  # '' = no named product: the route's generic curve
            req = DoseRequest.model_validate(fields | {"with": _split(q.get("with", "")),
                                                       "condition": _split(q.get("condition", "")),
                                                       "purpose": q.get("purpose") or None})
            out = await run("dose", request=req.model_dump(by_alias=True), figure=True)
        except (ApiError, InputError, ValueError) as err:
            return page(request, "dose.html", status=_status(err), form=form, errors=_messages(err))
        return page(request, "dose.html", form=form, rep=out["report"], figure=_data_url("image/svg+xml", out["svg"]),
                    json_url="/api/dose")

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form(request: Request) -> HTMLResponse:
        return page(request, "check.html", text="")

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request, text: Annotated[str, Form()] = "",
                         file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
        try:
            if file is not None and file.filename:
                from pineal.safety.text import decode

                text = decode(await file.read(), "file")
            report = await run("check", text=text)
        except (ApiError, InputError) as err:
            return page(request, "check.html", status=_status(err), text=text, errors=_messages(err))
        return page(request, "check.html", text=text, report=report,
                    segments=highlight.segments(text, report), items=highlight.items(report))

    @app.get("/plan", response_class=HTMLResponse, include_in_schema=False)
    async def plan_page(request: Request) -> HTMLResponse:
        q = request.query_params
        form = planform.form(q)
        if not planform.submitted(q):
            return page(request, "plan.html", form=form)
        try:
            req = TripRequest.build(planform.request(q), source="plan")
            out = await run("plan", settings.plan_budget_s, request=req.model_dump(), figure=True)
        except (ApiError, InputError) as err:
            return page(request, "plan.html", status=_status(err), form=form, errors=_messages(err))
        plan = out["plan"]
        return page(request, "plan.html", form=form, plan=plan, rows=planform.rows(plan),
                    figure=_data_url("image/svg+xml", out["svg"]),
                    ics_url=_data_url("text/calendar", out["ics"]),
                    json_url=_data_url("application/json", json.dumps(plan, indent=2)))

    @app.get("/validate", response_class=HTMLResponse, include_in_schema=False)
    async def validate_page(request: Request, only: str | None = None) -> HTMLResponse:
        from pineal.citations import work

        try:
            obj = await validation_json(only or None)
        except (ApiError, InputError) as err:
            return page(request, "validate.html", status=_status(err), errors=_messages(err), only=only)
        for r in obj["rows"]:
            r["source"] = work(r["cite"]).short() if r["cite"] else ""
        return page(request, "validate.html", obj=obj, only=only)

    return app


# -------------------------------------------------------------------------------------------------- helpers
DOSE_FIELDS = ("amount", "at", "route", "age", "sex", "weight", "wake", "sleep", "product")
DOSE_FLAGS = ("smoker", "fed", "oral_contraceptive", "pregnant", "breastfeeding")


def _dose_form(q) -> dict[str, Any]:
    defaults = DoseRequest.model_fields
    def shown(default) -> str:
        return "" if default is None else f"{default:g}" if isinstance(default, float) else str(default)

    form: dict[str, Any] = {k: q.get(k, "" if defaults[k].is_required() else shown(defaults[k].default))
                            for k in DOSE_FIELDS}
    form.update({k: q.get(k) in ("on", "true", "1") for k in DOSE_FLAGS})
    form["with_text"], form["condition_text"], form["purpose_text"] = (q.get("with", ""), q.get("condition", ""),
                                                                       q.get("purpose", ""))
    from pineal import products

    form["product_choices"] = [(p.id, p.name) for p in products.all_products()]  # the one product library
    return form


def _data_url(media_type: str, text: str) -> str:
    return f"data:{media_type};base64," + base64.b64encode(text.encode("utf-8")).decode()


def _split(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _status(err) -> int:
    return err.status if isinstance(err, ApiError) else 422


def _messages(err) -> list[str]:
    if isinstance(err, ApiError):
        return [d["message"] for d in err.detail]
    if isinstance(err, InputError):
        return [str(err)]
    if hasattr(err, "errors"):  # pydantic ValidationError from the page's form
        return [_from_pydantic(e)["message"] for e in err.errors()]
    return [str(err)]


def _num(x) -> str:
    """A number for a person: 4 significant digits, thousands separated; a dash when there is none."""
    if x is None or isinstance(x, bool) or not isinstance(x, (int, float)):
        return "—" if x is None else str(x)
    return f"{x:,.4g}" if abs(x) < 1e15 else f"{x:.3e}"


def _plain(value):
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)


def _from_pydantic(e: dict) -> dict[str, Any]:
    """A pydantic error as the CLI's message: field, value and what is allowed."""
    loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query")]
    field = ".".join(loc) or "body"
    value = e.get("input")
    if e.get("type") == "missing":
        return _problem(field, None, "a value (this field is required)", "missing")
    if e.get("type") == "extra_forbidden":
        return _problem(field, _plain(value), "a known field (see /docs)", "unknown field")
    cause = (e.get("ctx") or {}).get("error")
    if isinstance(cause, InputError):  # a schema's validator ran the library's own check: its parts as they are
        return _problem(cause.field, _plain(cause.value), cause.allowed, cause.reason)
    if isinstance(value, (dict, list)):
        value = "{...}" if isinstance(value, dict) else "[...]"
    return _problem(field, _plain(value), e.get("msg", "a valid value").removeprefix("Value error, "))
