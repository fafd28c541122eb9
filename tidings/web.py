"""The web server: a JSON API and an HTML dashboard over the store, from the same views.

Each page is one view function (``web_views.py``) answered two ways: ``GET /events`` is the HTML page,
``GET /events.json`` (or ``/events`` with ``Accept: application/json``) is its JSON, documented in the
OpenAPI spec (``/openapi.json``, readable at ``/api``). Charts are drawn in the browser by plotly.js, served
from the installed ``plotly`` package (no CDN).

Safe by default: the store is opened read-only unless a token is configured; writes (``POST /code``,
``POST /ingest``) need ``Authorization: Bearer <token>`` (or the form's token field); request bodies are
capped (413), queries and coding have time limits (503), bad input gets a 4xx with a reason, and URLs
to ingest may not point at loopback, private or reserved addresses unless allowed.

Outside dependencies sit behind one-method interfaces with in-memory fakes for tests:
:class:`Coder` (``PipelineCoder`` / ``MemoryCoder``) and :class:`~tidings.fetch.Fetcher` (wrapped by
:class:`SafeFetcher`).
"""
from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import json
import logging
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, Protocol
from urllib.parse import urlsplit

import anyio
import jinja2
from fastapi import FastAPI, Query, Request, Security
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from . import __version__
from . import web_api as api
from . import web_views as views
from .cameo import PLOVER_TYPES
from .errors import RecordError
from .fetch import MAX_BYTES, TIMEOUT_S, Fetcher, FetchError, HttpFetcher, Page
from .query import STATUSES

__all__ = [
    "Coder",
    "Limits",
    "MemoryCoder",
    "PipelineCoder",
    "SafeFetcher",
    "check_url",
    "create_app",
    "wants_json",
]

log = logging.getLogger("tidings.web")
STATIC = Path(str(resources.files("tidings") / "static"))
TEMPLATES = Path(str(resources.files("tidings") / "templates"))
BEARER = HTTPBearer(auto_error=False, description="The server's token (--token or TIDINGS_TOKEN).")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


@dataclass(frozen=True)
class Limits:
    max_body: int = 256 * 1024      # bytes of a request body: a 20k-character text as JSON is < 130 KB
    query_seconds: float = 10.0     # a store query (the 50k-event benchmark's slowest is ~0.1 s)
    code_seconds: float = 60.0      # coding or ingesting (a first call also loads the pipeline, ~10 s)


# ---------------------------------------------------------------------- coder
class Coder(Protocol):
    def code(self, text: str, date: dt.date | None = None, outlet: str | None = None, id: str = "text") -> dict:
        """The contract record of one text, or raise :class:`~tidings.errors.RecordError`."""


class PipelineCoder:
    """The real coder: tidings' spaCy pipeline (loaded on first use)."""

    def code(self, text: str, date: dt.date | None = None, outlet: str | None = None, id: str = "text") -> dict:
        from .coder import code
        return code(text, date, id=id, outlet=outlet)

    @property
    def pipeline(self) -> dict:
        from . import nlp
        return nlp.pipeline_info(nlp.load())


class MemoryCoder:
    """An in-memory coder for tests: ``records`` maps a text to the record to answer (its ``id`` is set
    from the call); other texts get an empty record. Texts coded are kept in ``texts``."""

    pipeline: ClassVar[dict] = {"name": "memory", "version": "0"}

    def __init__(self, records: dict[str, dict] | None = None) -> None:
        self.records = records or {}
        self.texts: list[str] = []

    def code(self, text: str, date: dt.date | None = None, outlet: str | None = None, id: str = "text") -> dict:
        self.texts.append(text)
        base = {"outlet": outlet, "date": date.isoformat() if date else None,
                "time": {"earliest": None, "latest": None, "basis": []}, "mentions": [], "events": [],
                "quotes": [], "warnings": []}
        return {**base, **self.records.get(text, {}), "id": id}


# ---------------------------------------------------------------------- fetching URLs safely
def check_url(url: str, allow_private: bool = False, resolve: Callable = socket.getaddrinfo) -> None:
    """Raise FetchError unless ``url`` is http(s) and its host resolves only to public addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise FetchError(f"{url}: not a valid URL") from e
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: only http:// and https:// URLs with a host can be fetched")
    if allow_private:
        return
    try:
        infos = resolve(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise FetchError(f"{url}: cannot resolve {parts.hostname}") from e
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global:
            raise FetchError(f"{url}: {parts.hostname} is a loopback, private or reserved address ({ip}); "
                             "the server fetches those only when started with --allow-private-urls")


class SafeFetcher:
    """A :class:`~tidings.fetch.Fetcher` that refuses loopback, private and reserved addresses (each
    redirect is checked too). ``inner`` (e.g. an in-memory fetcher) does the fetching if given."""

    def __init__(self, inner: Fetcher | None = None, *, allow_private: bool = False,
                 resolve: Callable = socket.getaddrinfo, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> None:
        self.inner, self.allow_private, self.resolve = inner, allow_private, resolve
        self.timeout, self.max_bytes = timeout, max_bytes

    def fetch(self, url: str) -> Page:
        check_url(url, self.allow_private, self.resolve)
        return self.inner.fetch(url) if self.inner is not None else self._http(url)

    def _http(self, url: str) -> Page:
        guard = self

        class CheckedRedirects(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, req, fp, code, msg, headers, newurl):
                check_url(newurl, guard.allow_private, guard.resolve)
                return super().redirect_request(req, fp, code, msg, headers, newurl)

        opener = urllib.request.build_opener(CheckedRedirects)
        return HttpFetcher(self.timeout, self.max_bytes, opener).fetch(url)


# ---------------------------------------------------------------------- the store, shared by threads
class Database:
    """The open store: a read cursor per worker thread, and one writer at a time (under ``lock``)."""

    def __init__(self, store) -> None:
        self.store = store
        self.lock = threading.Lock()            # held by the one writer
        self._opening = threading.Lock()        # new cursors (not blocked by a long write)
        self._local = threading.local()
        self._cursors: list = []

    def reader(self) -> views.Reader:
        found = getattr(self._local, "reader", None)
        if found is None:
            with self._opening:
                found = views.Reader(self.store.con.cursor())
                self._cursors.append(found.con)
            self._local.reader = found
        return found

    def close(self) -> None:
        for con in self._cursors:
            con.close()
        self.store.close()


@dataclass
class Web:
    """What the routes share: the store, the token, the coder and fetcher, the limits."""

    db_path: str
    token: str | None
    coder: Coder
    fetcher: Fetcher
    limits: Limits
    db: Database | None = None
    coding: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(1))

    @property
    def writable(self) -> bool:
        return self.token is not None

    async def read(self, view: Callable, *args: Any) -> dict:
        """Run a view in a worker thread with its own cursor; interrupt the query past the time limit."""
        held: dict[str, views.Reader] = {}

        def work() -> dict:
            held["reader"] = self.db.reader()
            return view(held["reader"], *args)

        try:
            with anyio.fail_after(self.limits.query_seconds):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except TimeoutError:
            if "reader" in held:
                held["reader"].con.interrupt()
            raise HTTPException(503, f"the query took longer than {self.limits.query_seconds:g} s; "
                                     "narrow the filters") from None
        except views.NotFound as e:
            raise HTTPException(404, str(e)) from None

    async def write(self, fn: Callable, *args: Any) -> Any:
        """Run a coding or writing job in a worker thread: one at a time, under the time limit."""
        def work() -> Any:
            with self.db.lock:
                return fn(*args)

        try:
            with anyio.fail_after(self.limits.code_seconds):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=self.coding)
        except TimeoutError:
            raise HTTPException(503, f"coding took longer than {self.limits.code_seconds:g} s") from None
        except (RecordError, BadInput) as e:
            raise HTTPException(422 if isinstance(e, RecordError) else 400, str(e)) from None

    def authorize(self, bearer: HTTPAuthorizationCredentials | None, form: dict) -> None:
        if self.token is None:
            raise HTTPException(403, "this server is read-only: start it with --token (or TIDINGS_TOKEN) "
                                     "to allow writes")
        given = bearer.credentials if bearer else form.get("token")
        if not given or not isinstance(given, str):
            raise HTTPException(401, "this request needs the server's token: Authorization: Bearer <token>",
                                headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
            raise HTTPException(401, "wrong token", headers={"WWW-Authenticate": "Bearer"})


class BadInput(ValueError):
    """The request cannot be done as asked (e.g. a URL the server may not fetch): answered 400."""


def ingest_and_code(store, coder: Coder, fetcher: Fetcher, req: api.IngestRequest) -> dict:
    """Store a text or the article(s) at a URL, code the new ones, update the event clusters."""
    from . import clusters
    from .ingest import Article, make_article, read_url
    if req.url:
        try:
            check_url(req.url, getattr(fetcher, "allow_private", False), getattr(fetcher, "resolve", socket.getaddrinfo))
        except FetchError as e:
            raise BadInput(str(e)) from e
        items = list(read_url(req.url, fetcher))
    else:
        fields = {"text": req.text, "title": req.title, "date": req.date, "outlet": req.outlet}
        items = [make_article(fields, "web:POST /ingest", source_kind="web")]
    articles = [a for a in items if isinstance(a, Article)]
    errors = [e for e in items if isinstance(e, RecordError)]
    new = store.add_articles(articles) if articles else 0
    store.add_failures("ingest", errors)
    ids = list(dict.fromkeys(a.article_id for a in articles))
    todo = store.rows("SELECT article_id, seq, text, date, outlet, title, url FROM articles a WHERE article_id IN "
                      "(SELECT unnest(?)) AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.article_id = a.article_id) "
                      "ORDER BY seq", [ids])
    results: list = []
    if todo:
        run_id = store.start_run("web", 1, __version__, getattr(coder, "pipeline", None) or {})
        for art in todo:
            try:
                results.append(coder.code(art["text"], art["date"], art["outlet"], art["article_id"]))
            except RecordError as e:
                results.append(e)
        store.save_coded(run_id, results, {a["article_id"]: a for a in todo})
        coded = [r for r in results if isinstance(r, dict)]
        store.finish_run(run_id, len(coded), len(results) - len(coded))
        clusters.update(store)
    failed = [e for e in (*errors, *results) if isinstance(e, RecordError)]
    return {"articles": new, "duplicates": len(articles) - new, "failed": len(failed),
            "coded": sum(isinstance(r, dict) for r in results), "events": sum(len(r["events"]) for r in results
                                                                             if isinstance(r, dict)),
            "article_ids": ids, "failures": [{"ref": str(e.record_id), "code": e.code,
                                              "reason": e.as_dict()["error"]["reason"]} for e in failed]}


# ---------------------------------------------------------------------- answering: JSON or HTML
def wants_json(request: Request) -> bool:
    """JSON for ``*.json`` paths and for clients that accept JSON but not HTML; HTML otherwise."""
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> bytes:
    return json.dumps(data, default=_json_default, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_script(data: Any) -> str:
    """JSON safe inside <script type="application/json"> (no "</script>" or "<!--" can close it)."""
    text = to_json(data).decode("utf-8")
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def json_url(request: Request) -> str:
    path = "/index.json" if request.url.path == "/" else request.url.path + ".json"
    return path + (f"?{request.url.query}" if request.url.query else "")


def evidence(sentence: str | None, trigger: str | None) -> Markup:
    """The sentence, HTML-escaped, with the first occurrence of the trigger marked."""
    sentence = sentence or ""
    at = sentence.find(trigger) if trigger else -1
    if at < 0 and trigger and len(sentence.lower()) == len(sentence):
        at = sentence.lower().find(trigger.lower())
    if at < 0:
        return escape(sentence)
    return escape(sentence[:at]) + Markup("<mark>") + escape(trigger) + Markup("</mark>") + escape(sentence[at + len(trigger):])


QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined)
    env.globals.update(country_name=views.country_name, segments=views.segments, json_script=json_script,
                       quads=QUADS, version=__version__, statuses=STATUSES, plover_types=PLOVER_TYPES)
    env.filters["evidence"] = evidence
    env.filters["day"] = lambda d: d.isoformat() if isinstance(d, dt.date) else (d or "")
    env.filters["num"] = lambda n: f"{n:,}" if isinstance(n, int) else ("" if n is None else f"{n:g}")
    return env


def html(request: Request, template: str, data: Any, *, status: int = 200, **extra: Any) -> HTMLResponse:
    web: Web = request.app.state.web
    page = request.app.state.templates.get_template(template).render(
        data=data, request=request, json_url=json_url(request), writable=web.writable,
        params=dict(request.query_params), path=request.url.path, **extra)
    return HTMLResponse(page, status_code=status)


def answer(request: Request, template: str, data: Any, **extra: Any) -> Response:
    if wants_json(request):
        return Response(to_json(data), media_type="application/json")
    return html(request, template, data, **extra)


# ---------------------------------------------------------------------- limits and headers
class Guard:
    """ASGI middleware: refuse bodies over the limit (413) and add security headers to every answer."""

    def __init__(self, app, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            code, reason = (413, f"request body over {self.max_body} bytes") if length.isdigit() else \
                (400, "bad Content-Length")
            await _plain_error(send, code, reason)
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise HTTPException(413, f"request body over {self.max_body} bytes")
            return message

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                            (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, limited, with_headers)


async def _plain_error(send, code: int, reason: str) -> None:
    body = to_json({"detail": reason})
    await send({"type": "http.response.start", "status": code,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _error(request: Request, status: int, detail: Any, headers: dict | None = None) -> Response:
    if wants_json(request) or request.method != "GET" and "text/html" not in request.headers.get("accept", ""):
        return Response(to_json({"detail": detail}), status_code=status, media_type="application/json",
                        headers=headers)
    return html(request, "error.html", {"status": status, "detail": detail}, status=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, [{k: e.get(k) for k in ("loc", "msg", "type")} for e in exc.errors()])

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _error(request, 500, "internal error (logged on the server)")


async def read_body(request: Request) -> dict:
    """A JSON object or a form, as a dict (415 for other content types, 400 for bad JSON)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise HTTPException(400, "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "the body must be a JSON object")
        return data
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        async with request.form(max_files=0, max_fields=20) as form:
            return {k: v for k, v in form.items() if isinstance(v, str)}
    raise HTTPException(415, "send JSON (Content-Type: application/json) or an HTML form")


def validate(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise RequestValidationError(e.errors(include_url=False, include_context=False)) from None


# ---------------------------------------------------------------------- the app
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": api.Error, "description": "Bad request"},
    404: {"model": api.Error, "description": "Not found"},
    413: {"model": api.Error, "description": "Request body too large"},
    503: {"model": api.Error, "description": "Over the time limit"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS, 401: {"model": api.Error, "description": "Missing or wrong token"},
    403: {"model": api.Error, "description": "The server is read-only (no token configured)"},
    415: {"model": api.Error, "description": "Not JSON or a form"},
    422: {"model": api.Error, "description": "Invalid fields (detail: a list of them), or a text that cannot be coded"},
}


def doc(model: type[BaseModel], summary: str) -> dict:
    return {"responses": {200: {"model": model, "description": summary}, **ERRORS}, "summary": summary}


def body_doc(model: type[BaseModel]) -> dict:
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema},
                                                          "application/x-www-form-urlencoded": {"schema": schema}}}}


def create_app(db: str | Path, *, token: str | None = None, coder: Coder | None = None, fetcher: Fetcher | None = None,
               allow_private_urls: bool = False, limits: Limits = Limits()) -> FastAPI:
    """The web app over the store at ``db``: read-only unless ``token`` is set (then writes need it).

    ``coder`` codes texts (default: the spaCy pipeline); ``fetcher`` fetches URLs to ingest, wrapped in a
    :class:`SafeFetcher` that refuses private addresses unless ``allow_private_urls`` (pass a SafeFetcher
    to set its resolver too)."""
    from .store import Store
    if not isinstance(fetcher, SafeFetcher):
        fetcher = SafeFetcher(fetcher, allow_private=allow_private_urls)
    web = Web(str(db), token or None, coder or PipelineCoder(), fetcher, limits)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        web.db = Database(Store(web.db_path, read_only=not web.writable))
        try:
            yield
        finally:
            web.db.close()

    app = FastAPI(title="tidings", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Political event data from news text: the store's events, articles, actors, dyads, "
                              "quotes and clusters as JSON. Every `GET /x.json` here is also an HTML page at "
                              "`/x` (or JSON there with `Accept: application/json`).")
    app.state.web = web
    app.state.templates = _templates()
    app.add_middleware(Guard, max_body=limits.max_body)
    _handlers(app)
    _routes(app, web)
    plotly_js = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


Id = Annotated[str, PathParam(pattern=api.ID, max_length=80)]
Code = Annotated[str, PathParam(pattern=api.ACTOR)]


def _routes(app: FastAPI, web: Web) -> None:
    """Each view answers two paths: the page and its ``.json``. Decorators apply bottom-up, so the ``.json``
    path is registered first and ``/articles/abc.json`` is not read as the page of article ``abc.json``."""
    @app.get("/", include_in_schema=False)
    @app.get("/index.json", **doc(api.Home, "The store at a glance"))
    async def home(request: Request) -> Response:
        return answer(request, "index.html", await web.read(views.home, web.writable))

    @app.get("/events", include_in_schema=False)
    @app.get("/events.json", **doc(api.EventPage, "Events, filtered and paged"))
    async def events(request: Request, p: Annotated[api.EventQuery, Query()]) -> Response:
        return answer(request, "events.html", await web.read(views.events, p, "/events.json"), p=p)

    @app.get("/events/{event_id}", include_in_schema=False)
    @app.get("/events/{event_id}.json", **doc(api.EventDetail, "One event with its evidence and other reports"))
    async def event(request: Request, event_id: Id) -> Response:
        return answer(request, "event.html", await web.read(views.event, event_id))

    @app.get("/articles/{article_id}", include_in_schema=False)
    @app.get("/articles/{article_id}.json", **doc(api.ArticleDetail, "An article with its coded spans"))
    async def article(request: Request, article_id: Id) -> Response:
        return answer(request, "article.html", await web.read(views.article, article_id))

    @app.get("/actors", include_in_schema=False)
    @app.get("/actors.json", **doc(api.ActorPage, "Actors mentioned, with their events"))
    async def actors(request: Request, p: Annotated[api.ActorQuery, Query()]) -> Response:
        return answer(request, "actors.html", await web.read(views.actors, p, "/actors.json"), p=p)

    @app.get("/dyads", include_in_schema=False)
    @app.get("/dyads.json", **doc(api.DyadList, "The busiest dyads (who acts on whom)"))
    async def dyads(request: Request, p: Annotated[api.NetworkQuery, Query()]) -> Response:
        return answer(request, "dyads.html", await web.read(views.dyads, p), p=p)

    @app.get("/dyads/{a}/{b}", include_in_schema=False)
    @app.get("/dyads/{a}/{b}.json", **doc(api.DyadSeries, "A dyad's events, cooperation, conflict and Goldstein "
                                                          "per period"))
    async def dyad(request: Request, a: Code, b: Code, p: Annotated[api.DyadQuery, Query()]) -> Response:
        return answer(request, "dyad.html", await web.read(views.dyad, a, b, p), p=p)

    @app.get("/network", include_in_schema=False)
    @app.get("/network.json", **doc(api.Network, "The actor network: nodes and directed edges"))
    async def network(request: Request, p: Annotated[api.NetworkQuery, Query()]) -> Response:
        return answer(request, "network.html", await web.read(views.network, p), p=p)

    @app.get("/quotes", include_in_schema=False)
    @app.get("/quotes.json", **doc(api.QuotePage, "Quotes, searched by words, speaker and kind"))
    async def quotes(request: Request, p: Annotated[api.QuoteQuery, Query()]) -> Response:
        return answer(request, "quotes.html", await web.read(views.quotes, p, "/quotes.json"), p=p)

    @app.get("/search", include_in_schema=False)
    @app.get("/search.json", **doc(api.SearchResult, "Articles, actors, quotes and events matching words"))
    async def search(request: Request, p: Annotated[api.SearchQuery, Query()]) -> Response:
        return answer(request, "search.html", await web.read(views.search, p), p=p)

    @app.get("/clusters", include_in_schema=False)
    @app.get("/clusters.json", **doc(api.ClusterPage, "Real-world events and how many articles report them"))
    async def clusters(request: Request, p: Annotated[api.ClusterQuery, Query()]) -> Response:
        return answer(request, "clusters.html", await web.read(views.clusters, p, "/clusters.json"), p=p)

    @app.get("/clusters/{cluster_id}", include_in_schema=False)
    @app.get("/clusters/{cluster_id}.json", **doc(api.ClusterDetail, "One real-world event and its reports"))
    async def cluster(request: Request, cluster_id: Id) -> Response:
        return answer(request, "cluster.html", await web.read(views.cluster, cluster_id))

    _write_routes(app, web)

    @app.get("/api", include_in_schema=False)
    async def api_page(request: Request) -> Response:
        return html(request, "api.html", app.openapi())


def _write_routes(app: FastAPI, web: Web) -> None:
    @app.get("/code", include_in_schema=False)
    async def code_form(request: Request) -> Response:
        return html(request, "code.html", None, form={})

    @app.post("/code", summary="Code a text (needs the token)", openapi_extra=body_doc(api.CodeRequest),
              responses={200: {"model": api.Record, "description": "The contract record"}, **WRITE_ERRORS})
    async def code(request: Request, bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]) -> Response:
        form = await read_body(request)
        web.authorize(bearer, form)
        req = validate(api.CodeRequest, form)
        record = await web.write(web.coder.code, req.text, req.date, req.outlet, "text")
        if wants_json(request) or "text/html" not in request.headers.get("accept", ""):
            return Response(to_json(record), media_type="application/json")
        return html(request, "code.html", record, form=req.model_dump(mode="json"),
                    spans=views.record_spans(record))

    @app.get("/ingest", include_in_schema=False)
    async def ingest_form(request: Request) -> Response:
        return html(request, "ingest.html", None)

    @app.post("/ingest", summary="Store, code and cluster a text or the article(s) at a URL (needs the token)",
              openapi_extra=body_doc(api.IngestRequest),
              responses={200: {"model": api.IngestResult, "description": "What went in"}, **WRITE_ERRORS})
    async def ingest(request: Request, bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]) -> Response:
        form = await read_body(request)
        web.authorize(bearer, form)
        req = validate(api.IngestRequest, form)
        result = await web.write(ingest_and_code, web.db.store, web.coder, web.fetcher, req)
        if wants_json(request) or "text/html" not in request.headers.get("accept", ""):
            return Response(to_json(result), media_type="application/json")
        return html(request, "ingest.html", result)

    @app.get("/healthz", summary="Liveness", responses={200: {"description": "{\"ok\": true}"}})
    async def healthz() -> dict:
        return {"ok": True, "version": __version__, "writable": web.writable}
