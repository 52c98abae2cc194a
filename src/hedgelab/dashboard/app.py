"""The dashboard's web application (FastAPI): pages Scenario, Compare, Explore and Data over
:mod:`hedgelab.api`, one :class:`~hedgelab.dashboard.sessions.State` per browser session.

Safety: uploads go through :mod:`hedgelab.dashboard.uploads` (the loader's checks and size
limit; a request body over :data:`MAX_BODY_BYTES` is refused unread); no page runs user code,
reads a path the user names or opens a shell; text from a scenario file is escaped by the
templates; the data page reads only the server's own data directory.
"""

from __future__ import annotations

import contextlib
import math
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from hedgelab.analysis.metrics import METRICS
from hedgelab.dashboard import explore as explore_run
from hedgelab.dashboard.jobs import Cache, Job
from hedgelab.dashboard.sessions import COOKIE, Sessions, State
from hedgelab.dashboard.uploads import accept
from hedgelab.errors import HedgelabError, error_line
from hedgelab.report import plots, report
from hedgelab.report.comparison import Request as ComparisonRequest, run_comparison
from hedgelab.scenarios import builtin_names, strategies_for
from hedgelab.scenarios.loader import MAX_SCENARIO_BYTES, inapplicable_strategies
from hedgelab.scenarios.table import parameter_rows

KEY_PARAMETERS: tuple[str, ...] = (
    "environment.convergence_speed",
    "environment.assertiveness_mean",
    "events.coercion_rate",
    "events.coercion_severity",
    "environment.rate_committed_to_transactional",
    "threat.challenger_capacity_growth",
)
"""The sliders of the scenario page (DESIGN's key unknowns), and the uncertainties the explore
page samples; those a scenario lacks are left out."""
MAX_BODY_BYTES = MAX_SCENARIO_BYTES + 4 * 2**20
"""Largest request body read: an upload a little over the loader's limit still reaches the
loader (which names the limit); anything larger is refused before it is read."""
PAGES = ("scenario", "compare", "explore", "data")


def _templates():  # type: ignore[no-untyped-def]
    """The report's Jinja2 environment with the dashboard's templates in front."""
    import jinja2

    base = report.environment()
    return base.overlay(loader=jinja2.ChoiceLoader([jinja2.PackageLoader("hedgelab.dashboard", "templates"), base.loader]))


def sliders(state: State) -> list[dict[str, Any]]:
    """Slider rows (continuous, over the plausible range) for the key parameters of the session's
    scenario: path, value, unit, range, source."""
    rows = {r["path"]: r for r in parameter_rows(state.load())}
    return [rows[p] for p in KEY_PARAMETERS if p in rows and rows[p]["range"] is not None]


def comparison_request(state: State) -> ComparisonRequest:
    """The comparison the session's settings ask for."""
    return ComparisonRequest(state.scenario, state.override_items(), state.strategies, state.n_paths, state.years,
                             state.seed, state.pair)


def _int_field(form, name: str, low: int, high: int, default: int) -> int:  # type: ignore[no-untyped-def]
    text = str(form.get(name, default)).strip()
    try:
        value = int(text)
    except ValueError:
        raise HedgelabError(error_line("form", name, f"a whole number from {low:,} to {high:,}, not {text[:40]!r}")) from None
    if not low <= value <= high:
        raise HedgelabError(error_line("form", name, f"a whole number from {low:,} to {high:,}, not {value:,}"))
    return value


def create_app(sessions: Sessions | None = None) -> FastAPI:
    """A new dashboard application with its own sessions and result cache."""
    from hedgelab import api

    sessions = sessions or Sessions()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        sessions.close()  # the sessions' uploads go with the server

    app = FastAPI(title="hedgelab dashboard", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    cache = Cache()
    templates = _templates()
    app.state.sessions, app.state.cache = sessions, cache

    @app.middleware("http")
    async def with_session(request: Request, call_next):  # type: ignore[no-untyped-def]
        """Every request gets its session (a new one without a known cookie), every answer the cookie."""
        token, state = sessions.get(request.cookies.get(COOKIE))
        request.state.token, request.state.session = token, state
        response = await call_next(request)
        if request.cookies.get(COOKIE) != token:
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    def session(request: Request) -> tuple[str, State]:
        return request.state.token, request.state.session

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        _, state = session(request)
        html = templates.get_template(f"{name}.html").render(page=name, pages=PAGES, state=state, **context)
        return HTMLResponse(html, status_code=status)

    def back_to_scenario() -> RedirectResponse:
        return RedirectResponse("/scenario", status_code=303)

    def scenario_page(request: Request, state: State, errors: list[str] | None = None, status: int = 200) -> HTMLResponse:
        loaded = state.load()
        return page(request, "scenario", status, errors=errors or [], builtins=builtin_names(), loaded=loaded,
                    sliders=sliders(state), parameters=[{**r, "overridden": r["path"] in state.overrides}
                                                        for r in parameter_rows(loaded)],
                    max_bytes=MAX_SCENARIO_BYTES)

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/scenario", status_code=303)

    @app.get("/health")
    def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/static/vega.js")
    def vega() -> Response:
        return Response(report.vega_bundle(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/dashboard.js")
    def script() -> Response:
        return Response(_static("dashboard.js"), media_type="text/javascript")

    @app.get("/scenario")
    def scenario_get(request: Request) -> HTMLResponse:
        return scenario_page(request, session(request)[1])

    @app.post("/scenario/select")
    async def scenario_select(request: Request) -> Response:
        _, state = session(request)
        name = str((await request.form()).get("scenario", ""))
        if name not in builtin_names():
            return scenario_page(request, state, [error_line("form", "scenario", f"a built-in scenario "
                                                             f"({', '.join(builtin_names())})")], 400)
        state.scenario, state.label, state.digest, state.overrides, state.pair = name, name, "", {}, None
        state.strategies = None
        return back_to_scenario()

    @app.post("/scenario/upload")
    async def scenario_upload(request: Request) -> Response:
        _, state = session(request)
        size = request.headers.get("content-length")
        if size is None or not size.isdigit() or int(size) > MAX_BODY_BYTES:
            return scenario_page(request, state, [error_line("upload", "file", f"a scenario file of at most "
                                                             f"{MAX_SCENARIO_BYTES:,} bytes")], 413)
        try:
            form = await request.form(max_files=1, max_fields=4)
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HedgelabError(error_line("upload", "file", "a scenario file chosen in the form"))
            data = await upload.read(MAX_SCENARIO_BYTES + 1)
            accepted = accept(upload.filename or "upload", data, state.upload_directory())
        except HedgelabError as err:
            return scenario_page(request, state, err.lines, 400)
        except Exception as err:  # noqa: BLE001 - a malformed multipart body: say so, keep serving
            return scenario_page(request, state, [error_line("upload", "form", f"a file upload form ({type(err).__name__})")], 400)
        state.scenario, state.label, state.digest = str(accepted.path), accepted.name, accepted.digest
        state.overrides, state.strategies, state.pair = {}, None, None
        return back_to_scenario()

    @app.post("/scenario/parameters")
    async def scenario_parameters(request: Request) -> Response:
        _, state = session(request)
        form = await request.form()
        proposed = dict(state.overrides)
        published = {r["path"]: r["value"] for r in parameter_rows(state.load({}))}
        errors = []
        for row in sliders(state):
            text = str(form.get(row["path"], row["value"]))
            try:
                value = float(text)
            except ValueError:
                errors.append(error_line("form", row["path"], f"a number, not {text[:40]!r}"))
                continue
            if not math.isfinite(value):
                errors.append(error_line("form", row["path"], "a finite number"))
            elif value == published[row["path"]]:
                proposed.pop(row["path"], None)  # back at the scenario's own value
            else:
                proposed[row["path"]] = value
        try:
            if not errors:
                state.load(proposed)  # the loader checks the values as --set would
        except HedgelabError as err:
            errors = err.lines
        if errors:
            return scenario_page(request, state, errors, 400)
        state.overrides = proposed
        return back_to_scenario()

    @app.post("/scenario/reset")
    async def scenario_reset(request: Request) -> Response:
        _, state = session(request)
        state.overrides = {}
        return back_to_scenario()

    @app.get("/compare")
    def compare_get(request: Request) -> HTMLResponse:
        _, state = session(request)
        loaded = state.load()
        key = (comparison_request(state), state.digest)
        comparison = cache.get(key)
        return page(request, "compare", available=list(strategies_for(loaded)), skipped=inapplicable_strategies(loaded),
                    comparison=comparison, job=state.job,
                    tables=report.metric_tables(comparison) if comparison else None,
                    charts=report.comparison_charts(comparison) if comparison else None)

    @app.post("/api/compare")
    async def compare_post(request: Request) -> JSONResponse:
        _, state = session(request)
        form = await request.form()
        try:
            chosen = tuple(str(s) for s in form.getlist("strategy"))
            available = list(strategies_for(state.load()))
            unknown = [s for s in chosen if s not in available]
            if unknown or not chosen:
                raise HedgelabError(error_line("form", "strategy", f"one or more of {', '.join(available)}"))
            n_paths = _int_field(form, "paths", 1, api.MAX_PATHS, state.n_paths)
            years = _int_field(form, "years", 1, api.MAX_YEARS, state.years)
            seed = _int_field(form, "seed", 0, 2**32 - 1, state.seed)
            pair = (str(form.get("strategy_a", "")), str(form.get("strategy_b", "")))
        except HedgelabError as err:
            return JSONResponse({"status": "failed", "errors": err.lines}, status_code=400)
        state.strategies = None if set(chosen) == set(available) else chosen
        state.n_paths, state.years, state.seed = n_paths, years, seed
        state.pair = pair if pair[0] != pair[1] and set(pair) <= set(chosen) else None  # else the first two
        request_ = comparison_request(state)
        return start(state, "compare", (request_, state.digest), lambda progress: run_comparison(request_, progress))

    def start(state: State, kind: str, key, work) -> JSONResponse:  # type: ignore[no-untyped-def]
        if cache.get(key) is not None:
            return JSONResponse({"status": "done", "cached": True})
        if state.job is not None and state.job.status == "running":
            return JSONResponse({"status": "failed", "errors": [error_line("dashboard", "run", "one run at a time "
                                                                           "per session: cancel the running one first")]},
                                status_code=409)
        try:
            state.job = Job(kind, key, work, cache)
        except HedgelabError as err:
            return JSONResponse({"status": "failed", "errors": err.lines}, status_code=503)
        return JSONResponse(state.job.describe())

    @app.get("/api/job")
    def job_get(request: Request) -> JSONResponse:
        _, state = session(request)
        return JSONResponse(state.job.describe() if state.job is not None else {"status": "none"})

    @app.post("/api/job/cancel")
    def job_cancel(request: Request) -> JSONResponse:
        _, state = session(request)
        if state.job is not None:
            state.job.cancel()
        return JSONResponse(state.job.describe() if state.job is not None else {"status": "none"})

    @app.get("/explore")
    def explore_get(request: Request) -> HTMLResponse:
        _, state = session(request)
        settings = state.explore.get("settings", explore_run.Settings())
        found = cache.get(state.explore.get("key")) if "key" in state.explore else None
        return page(request, "explore", settings=settings, found=found, job=state.job, min_futures=explore_run.MIN_FUTURES,
                    front_size=f"{explore_run.FRONT_POPULATION} candidates x {explore_run.FRONT_GENERATIONS} generations, "
                               f"{explore_run.FRONT_PATHS} paths each",
                    metrics=[m.name for m in METRICS.values() if m.better != "neither"],
                    available=list(strategies_for(state.load())), uncertain=[r["path"] for r in sliders(state)])

    @app.post("/api/explore")
    async def explore_post(request: Request) -> JSONResponse:
        _, state = session(request)
        form = await request.form()
        loaded = state.load()
        available = list(strategies_for(loaded))
        try:
            metric, strategy = str(form.get("metric", "prosperity")), str(form.get("strategy", available[0]))
            reference = str(form.get("reference", explore_run.Settings.reference))
            if metric not in METRICS or METRICS[metric].better == "neither":
                raise HedgelabError(error_line("form", "metric", "a metric with a direction"))
            for field, name in (("strategy", strategy), ("reference", reference)):
                if name not in available:
                    raise HedgelabError(error_line("form", field, f"one of {', '.join(available)}"))
            settings = explore_run.Settings(
                metric, strategy, reference, _int_field(form, "futures", explore_run.MIN_FUTURES, 512, explore_run.FUTURES),
                _int_field(form, "paths", 8, 4096, explore_run.PATHS_PER_FUTURE),
                _int_field(form, "years", 1, api.MAX_YEARS, explore_run.YEARS), _int_field(form, "seed", 0, 2**32 - 1, 0),
                front=form.get("front") == "on")
        except HedgelabError as err:
            return JSONResponse({"status": "failed", "errors": err.lines}, status_code=400)
        names = [r["path"] for r in sliders(state)]
        overrides, scenario, strategies = state.override_items(), state.scenario, state.strategies
        key = ("explore", scenario, state.digest, overrides, strategies, settings)
        state.explore = {"settings": settings, "key": key}
        return start(state, "explore", key, lambda progress: explore_run.run_exploration(
            scenario, overrides, loaded, names, strategies, settings, progress))

    @app.get("/data")
    def data_get(request: Request, country: str | None = None, partners: str = "USA,CHN",
                 indicators: list[str] | None = None) -> HTMLResponse:
        _, state = session(request)
        from hedgelab.data.definitions import notes_for
        from hedgelab.data.indicators import compute, registry
        from hedgelab.data.shipped_table import SHIPPED_INDICATORS

        reg = registry()
        country = (country or state.load().focal).strip()[:40]
        chosen = [i for i in (indicators or []) if i in reg] or None
        errors, table, chart, notes = [], None, None, []
        try:
            table = compute(country, chosen, [p.strip() for p in partners.split(",")[:12] if p.strip()] or None)
            if not table.empty:
                chart = plots.indicator_series(table, country.upper()).to_dict()
            names = list(dict.fromkeys(table["indicator"]))
            notes = [{"title": n.title, "text": n.text, "indicators": [i for i in names if n.key in reg[i].notes]}
                     for n in notes_for([k for i in names for k in reg[i].notes])]
        except HedgelabError as err:
            errors = err.lines
        return page(request, "data", status=400 if errors else 200, errors=errors, country=country, partners=partners,
                    chosen=chosen or [], available=[{"name": i.name, "unit": i.unit, "summary": i.summary,
                                                     "shipped": i.name in SHIPPED_INDICATORS} for i in reg.values()],
                    table=None if table is None else _recent(table).to_dict(orient="records"),
                    rows=0 if table is None else len(table), chart=chart, notes=notes)

    return app


RECENT_YEARS = 10
"""Years of indicator values listed under the chart of the data page (the chart has them all)."""


def _recent(table):  # type: ignore[no-untyped-def]
    """The last :data:`RECENT_YEARS` years of each indicator and partner."""
    last = table.groupby(["indicator", "partner"], dropna=False)["year"].transform("max")
    return table[table["year"] > last - RECENT_YEARS]


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    from importlib import resources

    return (resources.files("hedgelab.dashboard") / "static" / name).read_text(encoding="utf-8")
