"""The dashboard's web application (FastAPI): pages Scenario, Compare, Explore and Data over
:mod:`hedgelab.api`, one :class:`~hedgelab.dashboard.sessions.State` per browser session.

Safety: a request whose ``Host`` is not one of the allowed names (loopback and the bound address,
unless the server was started with ``--allow-remote``) is refused, which defeats DNS rebinding; a
POST from a page of another origin is refused (``Origin`` must match ``Host``); every POST body
is limited before it is read (:data:`MAX_FORM_BYTES`, :data:`MAX_BODY_BYTES` for an upload);
uploads go through :mod:`hedgelab.dashboard.uploads` (the loader's checks and size limit), in a
worker thread so a slow one holds up no other request; no page runs user code, reads a path the
user names or opens a shell; text from a scenario file is escaped by the templates; the data page
reads only the server's own data directory. A session (and its cookie) is made only by the pages
and actions that keep state.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from hedgelab.analysis.metrics import METRICS
from hedgelab.dashboard import explore as explore_run
from hedgelab.dashboard.jobs import MAX_RUNNING, Cache, Job
from hedgelab.dashboard.sessions import COOKIE, Sessions, State
from hedgelab.dashboard.uploads import accept
from hedgelab.errors import HedgelabError, error_line
from hedgelab.report import plots, report
from hedgelab.report.comparison import Request as ComparisonRequest, max_paths, run_comparison
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
"""Largest upload body read: an upload a little over the loader's limit still reaches the
loader (which names the limit); anything larger is refused before it is read."""
MAX_FORM_BYTES = 64 * 2**10
"""Largest body of any other POST (the largest form, the compare page's, is under 1 kB)."""
UPLOAD_ROUTE = "/scenario/upload"
MAX_SEED = 2**32 - 1
"""Largest seed the forms accept (the CLI's seeds are unbounded; the pages keep them to 32 bits)."""
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
"""``Host`` names served unless remote access was allowed (the bound address is added)."""
PAGES = ("scenario", "compare", "explore", "data")


def _templates():  # type: ignore[no-untyped-def]
    """The report's Jinja2 environment with the dashboard's templates in front."""
    import jinja2

    base = report.environment()
    return base.overlay(loader=jinja2.ChoiceLoader([jinja2.PackageLoader("hedgelab.dashboard", "templates"), base.loader]))


async def _with_form(handler: Callable[..., Response], request: Request) -> Response:
    """Read the request's form on the event loop, then run ``handler(request, form)`` in a worker
    thread (it loads scenarios or starts runs: too slow for the event loop)."""
    form = await request.form()
    return await run_in_threadpool(handler, request, form)


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


def body_problem(method: str, path: str, headers) -> tuple[int, str] | None:  # type: ignore[no-untyped-def]
    """Why a request's body is refused before it is read (status, error line), or None: a POST
    needs a ``Content-Length`` when it has a body, of at most :data:`MAX_FORM_BYTES`
    (:data:`MAX_BODY_BYTES` for an upload, whose page says the limit itself)."""
    if method != "POST" or path == UPLOAD_ROUTE:
        return None
    size = headers.get("content-length")
    if size is None:
        if "transfer-encoding" in headers:
            return 411, error_line("request", "Content-Length", "a body of known length")
        return None  # no body
    if not size.isdigit() or int(size) > MAX_FORM_BYTES:
        return 413, error_line("request", "body", f"a form of at most {MAX_FORM_BYTES:,} bytes")
    return None


def foreign_origin(method: str, headers) -> bool:  # type: ignore[no-untyped-def]
    """Whether a POST came from a page of another origin (its ``Origin`` names another host than
    ``Host``); a request without ``Origin`` (not from a browser page) is let through."""
    origin = headers.get("origin")
    return method == "POST" and origin is not None and urlsplit(origin).netloc != headers.get("host")


def create_app(sessions: Sessions | None = None, allowed_hosts: Sequence[str] | None = LOOPBACK_HOSTS,
               max_running: int = MAX_RUNNING) -> FastAPI:
    """A new dashboard application with its own sessions, result cache and run slots.

    ``allowed_hosts``: the ``Host`` names answered (None: any, for ``--allow-remote``);
    ``max_running``: runs at once over all sessions."""
    from hedgelab import api

    sessions = Sessions() if sessions is None else sessions

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        sessions.close()  # the sessions' uploads go with the server

    app = FastAPI(title="hedgelab dashboard", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    cache = Cache()
    slots = threading.BoundedSemaphore(max_running)
    starting = threading.Lock()  # a session's check for a running job and its new job, together
    templates = _templates()
    app.state.sessions, app.state.cache = sessions, cache

    @app.middleware("http")
    async def guard(request: Request, call_next):  # type: ignore[no-untyped-def]
        """Refuse foreign POSTs and oversized bodies unread; give a new session its cookie."""
        if foreign_origin(request.method, request.headers):
            return PlainTextResponse(error_line("request", "Origin", "a form of this dashboard's own pages"), 403)
        problem = body_problem(request.method, request.url.path, request.headers)
        if problem is not None:
            return PlainTextResponse(problem[1], problem[0])
        made: list[str] = []  # filled by session() when this request makes a session
        request.state.new_session = made
        response = await call_next(request)
        if made:
            response.set_cookie(COOKIE, made[0], httponly=True, samesite="strict")
        return response

    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.exception_handler(HedgelabError)
    async def refused(_request: Request, err: HedgelabError) -> PlainTextResponse:
        """A session refused (too many live ones): the line, 503."""
        return PlainTextResponse("\n".join(err.lines), 503)

    def known(request: Request) -> State | None:
        """The request's session, without making one."""
        return sessions.find(request.cookies.get(COOKIE))

    def session(request: Request) -> State:
        """The request's session, made (with a cookie on the answer) when it has none."""
        state = known(request)
        if state is None:
            token, state = sessions.create()
            request.state.new_session.append(token)
        return state

    def page(request: Request, state: State, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = templates.get_template(f"{name}.html").render(page=name, pages=PAGES, state=state, **context)
        return HTMLResponse(html, status_code=status)

    def back_to_scenario() -> RedirectResponse:
        return RedirectResponse("/scenario", status_code=303)

    def scenario_page(request: Request, state: State, errors: list[str] | None = None, status: int = 200) -> HTMLResponse:
        loaded = state.load()
        return page(request, state, "scenario", status, errors=errors or [], builtins=builtin_names(), loaded=loaded,
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
        return scenario_page(request, session(request))

    @app.post("/scenario/select")
    async def scenario_select(request: Request) -> Response:
        return await _with_form(select, request)

    def select(request: Request, form) -> Response:  # type: ignore[no-untyped-def]
        state = session(request)
        name = str(form.get("scenario", ""))
        if name not in builtin_names():
            return scenario_page(request, state, [error_line("form", "scenario", f"a built-in scenario "
                                                             f"({', '.join(builtin_names())})")], 400)
        state.choose_scenario(name, name, "")
        return back_to_scenario()

    @app.post(UPLOAD_ROUTE)
    async def scenario_upload(request: Request) -> Response:
        size = request.headers.get("content-length")
        if size is None or not size.isdigit() or int(size) > MAX_BODY_BYTES:
            return await run_in_threadpool(scenario_page, request, session(request), [error_line(
                "upload", "file", f"a scenario file of at most {MAX_SCENARIO_BYTES:,} bytes")], 413)
        try:
            form = await request.form(max_files=1, max_fields=4)
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HedgelabError(error_line("upload", "file", "a scenario file chosen in the form"))
            data = await upload.read(MAX_SCENARIO_BYTES + 1)
        except HedgelabError as err:
            return await run_in_threadpool(scenario_page, request, session(request), err.lines, 400)
        except Exception as err:  # noqa: BLE001 - a malformed multipart body: say so, keep serving
            return await run_in_threadpool(scenario_page, request, session(request), [error_line(
                "upload", "form", f"a file upload form ({type(err).__name__})")], 400)
        # the loader's checks take up to a second on a large file: off the event loop
        return await run_in_threadpool(take_upload, request, upload.filename or "upload", data)

    def take_upload(request: Request, filename: str, data: bytes) -> Response:
        state = session(request)
        try:
            accepted = accept(filename, data, state.upload_directory())
        except HedgelabError as err:
            return scenario_page(request, state, err.lines, 400)
        state.replace_upload(accepted.path.parent)
        state.choose_scenario(str(accepted.path), accepted.name, accepted.digest)
        return back_to_scenario()

    @app.post("/scenario/parameters")
    async def scenario_parameters(request: Request) -> Response:
        return await _with_form(set_parameters, request)

    def set_parameters(request: Request, form) -> Response:  # type: ignore[no-untyped-def]
        state = session(request)
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
    def scenario_reset(request: Request) -> Response:
        session(request).overrides = {}
        return back_to_scenario()

    @app.get("/compare")
    def compare_get(request: Request) -> HTMLResponse:
        state = session(request)
        loaded = state.load()
        comparison = cache.get((comparison_request(state), state.digest))
        return page(request, state, "compare", available=list(strategies_for(loaded)),
                    skipped=inapplicable_strategies(loaded), comparison=comparison, job=state.job,
                    tables=report.metric_tables(comparison) if comparison else None,
                    charts=report.comparison_charts(comparison) if comparison else None)

    @app.post("/api/compare")
    async def compare_post(request: Request) -> JSONResponse:
        return await _with_form(compare_start, request)

    def compare_start(request: Request, form) -> JSONResponse:  # type: ignore[no-untyped-def]
        state = session(request)
        try:
            chosen = tuple(str(s) for s in form.getlist("strategy"))
            loaded = state.load()
            available = list(strategies_for(loaded))
            unknown = [s for s in chosen if s not in available]
            if unknown or not chosen:
                raise HedgelabError(error_line("form", "strategy", f"one or more of {', '.join(available)}"))
            years = _int_field(form, "years", 1, api.MAX_YEARS, state.years)
            n_paths = _int_field(form, "paths", 1, max_paths(loaded, len(chosen), years), state.n_paths)
            seed = _int_field(form, "seed", 0, MAX_SEED, state.seed)
            pair = (str(form.get("strategy_a", "")), str(form.get("strategy_b", "")))
        except HedgelabError as err:
            return JSONResponse({"status": "failed", "errors": err.lines}, status_code=400)
        strategies = None if set(chosen) == set(available) else chosen
        pair_ = pair if pair[0] != pair[1] and set(pair) <= set(chosen) else None  # else the first two
        request_ = ComparisonRequest(state.scenario, state.override_items(), strategies, n_paths, years, seed, pair_)

        def commit() -> None:  # the page's settings change only once the run started or was cached
            state.strategies, state.n_paths, state.years, state.seed, state.pair = strategies, n_paths, years, seed, pair_

        return start(state, "compare", (request_, state.digest),
                     lambda progress: run_comparison(request_, progress).slim(), commit)

    def start(state: State, kind: str, key, work, commit: Callable[[], None]) -> JSONResponse:  # type: ignore[no-untyped-def]
        """Answer from the cache or start ``work`` as the session's job; ``commit`` the new
        settings only then (not when the run is refused)."""
        with starting:
            if cache.get(key) is not None:
                commit()
                return JSONResponse({"status": "done", "cached": True})
            if state.running():
                return JSONResponse({"status": "failed", "errors": [error_line(
                    "dashboard", "run", "one run at a time per session: cancel the running one first")]}, status_code=409)
            try:
                state.job = Job(kind, key, work, cache, slots)
            except HedgelabError as err:
                return JSONResponse({"status": "failed", "errors": err.lines}, status_code=503)
            commit()
            return JSONResponse(state.job.describe())

    @app.get("/api/job")
    def job_get(request: Request) -> JSONResponse:
        state = known(request)  # a poll never makes a session
        return JSONResponse(state.job.describe() if state is not None and state.job is not None else {"status": "none"})

    @app.post("/api/job/cancel")
    def job_cancel(request: Request) -> JSONResponse:
        state = known(request)
        if state is None or state.job is None:
            return JSONResponse({"status": "none"})
        state.job.cancel()
        return JSONResponse(state.job.describe())

    @app.get("/explore")
    def explore_get(request: Request) -> HTMLResponse:
        state = session(request)
        settings = state.explore.get("settings", explore_run.Settings())
        found = cache.get(state.explore.get("key")) if "key" in state.explore else None
        return page(request, state, "explore", settings=settings, found=found, job=state.job,
                    min_futures=explore_run.MIN_FUTURES,
                    front_size=f"{explore_run.FRONT_POPULATION} candidates x {explore_run.FRONT_GENERATIONS} generations, "
                               f"{explore_run.FRONT_PATHS} paths each",
                    metrics=[m.name for m in METRICS.values() if m.better != "neither"],
                    available=list(strategies_for(state.load())), uncertain=[r["path"] for r in sliders(state)])

    @app.post("/api/explore")
    async def explore_post(request: Request) -> JSONResponse:
        return await _with_form(explore_start, request)

    def explore_start(request: Request, form) -> JSONResponse:  # type: ignore[no-untyped-def]
        state = session(request)
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
                metric, strategy, reference,
                _int_field(form, "futures", explore_run.MIN_FUTURES, explore_run.MAX_FUTURES, explore_run.FUTURES),
                _int_field(form, "paths", explore_run.MIN_PATHS_PER_FUTURE, explore_run.MAX_PATHS_PER_FUTURE,
                           explore_run.PATHS_PER_FUTURE),
                _int_field(form, "years", 1, api.MAX_YEARS, explore_run.YEARS), _int_field(form, "seed", 0, MAX_SEED, 0),
                front=form.get("front") == "on")
        except HedgelabError as err:
            return JSONResponse({"status": "failed", "errors": err.lines}, status_code=400)
        names = [r["path"] for r in sliders(state)]
        overrides, scenario, strategies = state.override_items(), state.scenario, state.strategies
        key = ("explore", scenario, state.digest, overrides, strategies, settings)

        def commit() -> None:
            state.explore = {"settings": settings, "key": key}

        return start(state, "explore", key, lambda progress: explore_run.run_exploration(
            scenario, overrides, loaded, names, strategies, settings, progress), commit)

    @app.get("/data")
    def data_get(request: Request, country: str | None = None, partners: str = "USA,CHN",
                 indicators: list[str] | None = None) -> HTMLResponse:
        state = session(request)
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
        return page(request, state, "data", status=400 if errors else 200, errors=errors, country=country, partners=partners,
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
