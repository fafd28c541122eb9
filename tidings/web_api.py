"""The web API's documented shapes: query parameters, request bodies and JSON answers.

These models make the OpenAPI spec (``/openapi.json``) that schemathesis checks the server against, so
they say exactly what the views in ``web_views.py`` return: change one, change the other.
Query models drop blank values first, so an HTML form's empty fields mean "no filter".
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "MAX_CODE_CHARS",
    "PAGE_MAX",
    "ActorQuery",
    "ClusterQuery",
    "CodeRequest",
    "DyadQuery",
    "EventQuery",
    "IngestRequest",
    "NetworkQuery",
    "QuoteQuery",
    "SearchQuery",
]

PAGE_MAX = 500                  # rows per page at most (a page of 500 events is ~400 KB of JSON)
OFFSET_MAX = 1_000_000          # deeper than this, filter instead of paging
MAX_CODE_CHARS = 20_000         # POST /code: a long news article is ~10k characters; at the ~35k chars/s the
                                # pipeline codes on one core here (STACK.md), 20k is well under a second
TEXT_MAX = 200                  # search strings, outlet names
STATUS_LIST = r"^(asserted|reported|negated|hypothetical)(,(asserted|reported|negated|hypothetical))*$"
TYPE_LIST = r"^([A-Za-z_]{2,24}|[0-9]{1,4})(,([A-Za-z_]{2,24}|[0-9]{1,4}))*$"
ACTOR = r"^[A-Za-z0-9-]{1,16}$"      # an actor code (RUSMIL, IGOUNO) or a country (RUS)
COUNTRY = r"^[A-Za-z]{3}$"
ID = r"^[A-Za-z0-9:_.-]{1,80}$"

Actor = Field(None, pattern=ACTOR, description="An actor code (RUSMIL) or a country (RUS, matches every RUS... code).")
Types = Field(None, pattern=TYPE_LIST, description="PLOVER types (ASSAULT) or CAMEO code prefixes (19), comma-separated.")
Statuses = Field(None, pattern=STATUS_LIST, description="asserted, reported, negated, hypothetical (comma-separated).")
Since = Field(None, description="Events on or after this day (the event's own date, else its article's).")
Until = Field(None, description="Events on or before this day.")
Limit = Field(50, ge=1, le=PAGE_MAX, description="Rows per page.")
Offset = Field(0, ge=0, le=OFFSET_MAX, description="Rows skipped (paging).")
Search = Field(None, min_length=1, max_length=TEXT_MAX, description="Words to look for (case-insensitive).")


class Params(BaseModel):
    """Query parameters: blank ones (an HTML form's empty fields) are left out before validation."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


class EventQuery(Params):
    source: str | None = Actor
    target: str | None = Actor
    actor: str | None = Field(None, pattern=ACTOR, description="Either side: an actor code or a country.")
    country: str | None = Field(None, pattern=COUNTRY, description="An actor's or the place's country (ISO alpha-3).")
    type: str | None = Types
    status: str | None = Statuses
    since: dt.date | None = Since
    until: dt.date | None = Until
    outlet: str | None = Field(None, max_length=TEXT_MAX, description="Only this outlet's reports.")
    q: str | None = Search
    cluster: str | None = Field(None, pattern=ID, description="Only the reports of this real-world event.")
    article: str | None = Field(None, pattern=ID, description="Only this article's events.")
    dedup: bool = Field(False, description="One row per real-world event (cluster): its earliest report.")
    order: Literal["desc", "asc"] = Field("desc", description="By date: newest first (desc) or oldest first.")
    limit: int = Limit
    offset: int = Offset


class DyadQuery(Params):
    by: Literal["day", "week", "month", "quarter", "year"] = Field("month", description="Period of the series.")
    directed: bool = Field(False, description="Only A -> B (default: both directions).")
    type: str | None = Types
    status: str | None = Statuses
    since: dt.date | None = Since
    until: dt.date | None = Until


class NetworkQuery(Params):
    level: Literal["country", "actor"] = Field("country", description="Nodes are countries or actor codes.")
    type: str | None = Types
    status: str | None = Statuses
    since: dt.date | None = Since
    until: dt.date | None = Until
    min_events: int = Field(1, ge=1, le=1_000_000, description="Leave out pairs with fewer events.")
    limit: int = Field(60, ge=1, le=PAGE_MAX, description="The busiest pairs (edges) shown.")


class ActorQuery(Params):
    q: str | None = Search
    country: str | None = Field(None, pattern=COUNTRY)
    sector: str | None = Field(None, pattern=r"^[A-Za-z]{2,4}$", description="CAMEO/PLOVER agent code: GOV, MIL...")
    limit: int = Limit
    offset: int = Offset


class QuoteQuery(Params):
    q: str | None = Search
    speaker: str | None = Field(None, min_length=1, max_length=TEXT_MAX,
                                description="The speaker's actor code (BLRGOV) or part of their name.")
    kind: Literal["direct", "indirect"] | None = None
    since: dt.date | None = Field(None, description="Quotes in articles dated on or after this day.")
    until: dt.date | None = Field(None, description="Quotes in articles dated on or before this day.")
    limit: int = Limit
    offset: int = Offset


class SearchQuery(Params):
    q: str | None = Search


class ClusterQuery(Params):
    type: str | None = Field(None, pattern=r"^[A-Za-z_]{2,24}$", description="PLOVER type.")
    source: str | None = Field(None, pattern=ACTOR, description="The source's country (or code).")
    since: dt.date | None = Field(None, description="First seen on or after this day.")
    until: dt.date | None = Field(None, description="First seen on or before this day.")
    min_articles: int = Field(1, ge=1, le=1_000_000, description="Reported by at least this many articles.")
    order: Literal["articles", "recent"] = Field("articles", description="Most reported first, or most recent.")
    limit: int = Limit
    offset: int = Offset


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1, max_length=MAX_CODE_CHARS, description="The article or sentence.")
    date: dt.date | None = Field(None, description="Its publication date (dates in the text are read against it).")
    outlet: str | None = Field(None, max_length=TEXT_MAX)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        return Params._blank_is_missing(data)


class IngestRequest(BaseModel):
    """Either ``text`` (with its metadata) or ``url`` (a page or an RSS/Atom feed, fetched by the server)."""

    model_config = ConfigDict(extra="ignore")

    text: str | None = Field(None, min_length=1, max_length=MAX_CODE_CHARS)
    url: str | None = Field(None, pattern=r"^https?://", max_length=2000)
    title: str | None = Field(None, max_length=1000)
    date: dt.date | None = None
    outlet: str | None = Field(None, max_length=TEXT_MAX)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        return Params._blank_is_missing(data)

    @model_validator(mode="after")
    def _text_or_url(self) -> IngestRequest:
        if (self.text is None) == (self.url is None):
            raise ValueError("give either text or url")
        return self


# ---------------------------------------------------------------------- answers (documentation only)
class Error(BaseModel):
    detail: str | list[dict[str, Any]]


class Stats(BaseModel):
    articles: int
    events: int
    actors: int
    quotes: int
    clusters: int
    failures: int
    runs: int
    coded: int
    failed_coding: int
    uncoded: int


class EventRow(BaseModel):
    event_id: str
    article_id: str
    event_date: dt.date | None
    article_date: dt.date | None
    source_code: str | None
    source_name: str | None
    source_country: str | None
    target_code: str | None
    target_name: str | None
    target_country: str | None
    plover: str | None
    cameo: str
    goldstein: float | None
    quad_class: int | None
    status: str | None
    reported_by_name: str | None
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence_text: str | None
    location_name: str | None
    location_country: str | None
    outlet: str | None
    title: str | None
    confidence: float | None
    cluster_id: str | None
    cluster_articles: int | None
    cluster_outlets: int | None


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="The next page's URL (JSON), if there is one.")


class EventPage(Page):
    events: list[EventRow]


class ArticleInfo(BaseModel):
    article_id: str
    seq: int
    title: str | None
    date: dt.date | None
    outlet: str | None
    url: str | None
    chars: int | None


class ClusterRow(BaseModel):
    cluster_id: str
    block: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    articles: int | None
    outlets: int | None
    events: int | None
    plover: str | None
    cameo: str | None
    source_code: str | None
    target_code: str | None
    trigger: str | None
    sentence_text: str | None
    event_id: str | None


class EventDetail(BaseModel):
    event: EventRow
    record: dict[str, Any] = Field(description="The event as coded (the contract's Event).")
    article: ArticleInfo
    cluster: ClusterRow | None
    reports: list[EventRow] = Field(description="Other reports of the same real-world event.")


class Span(BaseModel):
    kind: Literal["actor", "trigger", "place", "quote", "cue"]
    start: int
    end: int
    text: str
    label: str
    detail: str
    code: str | None = None
    events: list[int] = []
    status: str | None = None
    quad_class: int | None = None
    quote: int | None = None


class Coding(BaseModel):
    ok: bool | None
    error_code: str | None
    error_reason: str | None
    run_id: int | None
    coded_at: str | None


class ArticleDetail(BaseModel):
    article: ArticleInfo
    text: str
    coding: Coding
    record: dict[str, Any] | None = Field(description="The contract record the coder wrote for this article.")
    spans: list[Span] = Field(description="Actors, event triggers, places, quotes and cues, by offset.")
    events: list[EventRow]
    sources: list[dict[str, Any]]


class ActorRow(BaseModel):
    code: str | None
    name: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    example: str | None
    mentions: int
    articles: int
    as_source: int
    as_target: int


class ActorPage(Page):
    actors: list[ActorRow]


class Edge(BaseModel):
    source: str
    target: str
    events: int
    cooperation: int
    conflict: int
    goldstein_mean: float | None
    last_date: dt.date | None


class DyadPoint(BaseModel):
    period: str
    start: dt.date
    events: int
    clusters: int
    goldstein_sum: float | None
    goldstein_mean: float | None
    cooperation: int
    conflict: int


class DyadSeries(BaseModel):
    a: str
    b: str
    a_name: str
    b_name: str
    by: str
    directed: bool
    totals: dict[str, float | int | None]
    series: list[DyadPoint]
    events: list[EventRow]


class DyadList(BaseModel):
    dyads: list[Edge]


class Node(BaseModel):
    id: str
    name: str
    events: int
    x: float
    y: float


class NetworkEdge(Edge):
    x0: float
    y0: float
    x1: float
    y1: float


class Network(BaseModel):
    level: str
    nodes: list[Node]
    edges: list[NetworkEdge]


class QuoteRow(BaseModel):
    article_id: str
    idx: int
    kind: str | None
    speaker_code: str | None
    speaker_name: str | None
    cue: str | None
    content: str
    content_start: int
    content_end: int
    article_date: dt.date | None
    title: str | None
    outlet: str | None


class QuotePage(Page):
    quotes: list[QuoteRow]


class ArticleHit(BaseModel):
    article_id: str
    title: str | None
    date: dt.date | None
    outlet: str | None
    snippet: str


class SearchResult(BaseModel):
    q: str | None
    articles: list[ArticleHit]
    actors: list[ActorRow]
    quotes: list[QuoteRow]
    events: list[EventRow]


class ClusterPage(Page):
    clusters: list[ClusterRow]


class ClusterDetail(BaseModel):
    cluster: ClusterRow
    events: list[EventRow]


class Home(BaseModel):
    stats: Stats
    first_date: dt.date | None
    last_date: dt.date | None
    latest: list[EventRow]
    dyads: list[Edge]
    clusters: list[ClusterRow]
    run: dict[str, Any] | None
    writable: bool


class Record(BaseModel):
    """The contract record (see the project's CONTRACT.md)."""

    id: str | int
    outlet: str | None
    date: str | None
    time: dict[str, Any]
    mentions: list[dict[str, Any]]
    events: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    warnings: list[str]


class IngestResult(BaseModel):
    articles: int = Field(description="New articles stored.")
    duplicates: int = Field(description="Texts the store already had.")
    failed: int = Field(description="Pages or entries that could not be read, or articles not coded.")
    coded: int
    events: int
    article_ids: list[str]
    failures: list[dict[str, Any]]
