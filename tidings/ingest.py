"""Ingest: folders of files, URLs and feeds in; articles (identified by their text) into the store.

Sources:

- folders (walked recursively) and files: ``.txt`` (one article), ``.html``/``.htm`` (one page, text by
  trafilatura), ``.json`` (an object, a list of objects, or JSON Lines), ``.jsonl``, ``.csv`` (a header
  row; see ``FIELD_ALIASES``) and ``.parquet`` (the same columns);
- ``http(s)://`` URLs: a page (text, title, outlet and publication date from the page with trafilatura,
  whose dates come from htmldate) or an RSS/Atom feed (each entry's page is fetched and read the same way).

An article's identity is a hash of its normalised text (``article_id``), so the same article ingested
twice, from two files or two feeds, is stored once (each source is remembered). Anything that cannot be
read is yielded as a :class:`~tidings.errors.RecordError` naming the file, line or URL and the reason; the
store keeps it in ``failures`` and the rest goes on.
"""
from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .errors import RecordError
from .fetch import Fetcher, FetchError, HttpFetcher
from .record import MAX_CHARS, parse_date

__all__ = ["FIELD_ALIASES", "Article", "article_id", "ingest", "normalise", "read_sources"]

SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".json": "json",
            ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
# Column / key names accepted for each field, first match wins. The aliases are the names used by the
# corpora we were given or know (our news_articles.jsonl says "publisher"; GDELT/CommonCrawl dumps say
# "link", "body", "published").
FIELD_ALIASES = {"id": ("id", "doc_id", "guid"), "text": ("text", "body", "content", "article"),
                 "date": ("date", "published", "publish_date", "pub_date"), "title": ("title", "headline"),
                 "url": ("url", "link"), "outlet": ("outlet", "publisher", "source", "site", "sitename")}
MAX_PAGE_BYTES = 10 * 1024 * 1024   # an HTML page or .txt over 10 MB is not one article (trafilatura
                                    # itself gives up at 20 MB); JSONL/CSV/Parquet are streamed, no cap
MAX_JSON_BYTES = 200 * 1024 * 1024  # a .json document is parsed whole: above this, use JSON Lines
CONTROL_SHARE = 0.02                # text with more control characters than this is binary, not prose
                                    # (news text has none besides tab/newline; checked on our corpora)
MIN_PAGE_WORDS = 5                  # what trafilatura finds in a page of menus and scripts ("Home",
                                    # "Log in | Subscribe") is not an article; the shortest news sentence is longer
BATCH_ROWS = 1000                   # articles per store transaction while ingesting
SNIFF = 8192                        # bytes looked at to tell binary from text and HTML from plain text
csv.field_size_limit(MAX_CHARS * 8)  # CSV cells may hold whole articles (the default limit is 128 KB)


@dataclass
class Article:
    """One article to store: its text and identity, and where it came from."""

    text: str
    title: str | None = None
    date: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    source_kind: str = "file"          # file | url | feed
    source_ref: str = ""               # path, path:line, or URL
    source_id: str | None = None       # the id the source gave it, if any
    article_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.article_id = article_id(self.text)


Item = Article | RecordError


def ingest(sources: Iterable[str], store, *, fetcher: Fetcher | None = None, progress: bool = False) -> dict:
    """Read every source into the store (one transaction per batch); returns counts: ``articles`` new,
    ``duplicates`` (texts already stored, or seen twice), ``failed`` (recorded in ``failures``)."""
    from tqdm import tqdm
    counts = {"articles": 0, "duplicates": 0, "failed": 0}
    articles: list[Article] = []
    errors: list[RecordError] = []
    items = tqdm(read_sources(sources, fetcher), unit=" articles", disable=not progress, leave=False,
                 mininterval=0.5)
    for item in items:
        (articles if isinstance(item, Article) else errors).append(item)
        if len(articles) + len(errors) >= BATCH_ROWS:
            _flush(store, articles, errors, counts)
    _flush(store, articles, errors, counts)
    return counts


def _flush(store, articles: list, errors: list, counts: dict) -> None:
    new = store.add_articles(articles) if articles else 0
    store.add_failures("ingest", errors)
    counts["articles"] += new
    counts["duplicates"] += len(articles) - new
    counts["failed"] += len(errors)
    articles.clear()
    errors.clear()


def normalise(text: str) -> str:
    """The text as compared for identity: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def article_id(text: str) -> str:
    """A stable id for a text: 32 hex digits of BLAKE2b over its normalised form."""
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=16).hexdigest()


def read_sources(sources: Iterable[str], fetcher: Fetcher | None = None) -> Iterator[Item]:
    """Articles and failures from every source, in order (folders sorted by path)."""
    for source in sources:
        if re.match(r"https?://", source, re.IGNORECASE):
            yield from read_url(source, fetcher or HttpFetcher())
            continue
        path = Path(source)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES:
                    yield from read_file(child)
        elif path.is_file():
            yield from read_file(path)
        else:
            yield RecordError("E109", source, detail=f"{source}: no such file, folder or URL")


def read_file(path: Path) -> Iterator[Item]:
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    ref = str(path)
    try:
        if kind == "parquet":
            yield from read_parquet(path)
        elif kind in ("jsonl", "csv"):
            yield from (read_jsonl if kind == "jsonl" else read_csv)(path)
        else:
            yield from _read_whole(path, kind)
    except OSError as e:
        yield RecordError("E109", ref, detail=f"{ref}: {e.strerror or e}")


def _read_whole(path: Path, kind: str) -> Iterator[Item]:
    ref = str(path)
    limit = MAX_JSON_BYTES if kind == "json" else MAX_PAGE_BYTES
    if path.stat().st_size > limit:
        yield RecordError("E109", ref, detail=f"{ref}: larger than {limit // 2**20} MB")
        return
    raw = path.read_bytes()
    if kind == "html" or (kind == "text" and looks_like_html(raw[:SNIFF].decode("utf-8", "replace"))):
        yield page_article(raw, ref, url=None, source_kind="file")
        return
    text = decode(raw, ref)
    if isinstance(text, RecordError):
        yield text
    elif kind == "json":
        yield from read_json_document(text, ref)
    else:
        yield make_article({"text": text}, ref, source_id=path.stem)


def decode(raw: bytes, ref: str) -> str | RecordError:
    """UTF-8 text, or the reason it is not text (binary, another encoding)."""
    if b"\x00" in raw[:SNIFF]:
        return RecordError("E111", ref, detail=f"{ref}: binary file (NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return RecordError("E111", ref, detail=f"{ref}: not UTF-8 text (invalid byte at {e.start})")
    if is_binary_text(text):
        return RecordError("E111", ref, detail=f"{ref}: binary content (control characters), not text")
    return text


def is_binary_text(text: str) -> bool:
    sample = text[:SNIFF]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return bool(sample) and controls / len(sample) > CONTROL_SHARE


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:SNIFF].lower()
    return head.startswith(("<!doctype html", "<html")) or len(re.findall(r"</?(?:p|div|body|script|span|a|br)\b",
                                                                           head)) >= 5


def read_jsonl(path: Path) -> Iterator[Item]:
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            if raw.strip():
                yield _json_line(raw, f"{path}:{lineno}")


def _json_line(raw: bytes, ref: str) -> Item:
    line = decode(raw, ref)
    if isinstance(line, RecordError):
        return line
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return RecordError("E101", ref, detail=f"{ref}: {e}")
    return make_article(obj, ref) if isinstance(obj, dict) else RecordError("E107", ref)


def read_json_document(text: str, ref: str) -> Iterator[Item]:
    """A ``.json`` file: one object, a list of objects, or (failing that) JSON Lines."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield _json_line(line.encode("utf-8"), f"{ref}:{lineno}")
        return
    rows = doc if isinstance(doc, list) else [doc]
    for n, obj in enumerate(rows, 1):
        where = f"{ref}:{n}" if isinstance(doc, list) else ref
        yield make_article(obj, where) if isinstance(obj, dict) else RecordError("E107", where)


def read_csv(path: Path) -> Iterator[Item]:
    ref = str(path)
    with path.open("rb") as probe:
        if b"\x00" in probe.read(SNIFF):
            yield RecordError("E111", ref, detail=f"{ref}: binary file (NUL bytes), not text")
            return
    with path.open(encoding="utf-8-sig", newline="") as f:
        try:
            for n, row in enumerate(csv.DictReader(f), 2):
                yield make_article({k: v for k, v in row.items() if k is not None}, f"{ref}:{n}")
        except UnicodeDecodeError as e:
            yield RecordError("E111", ref, detail=f"{ref}: not UTF-8 text (invalid byte at {e.start})")
        except csv.Error as e:
            yield RecordError("E112", ref, detail=f"{ref}: bad CSV ({e})")


def read_parquet(path: Path) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    ref = str(path)
    try:
        pf = pq.ParquetFile(path)
        row = 0
        for batch in pf.iter_batches(batch_size=1024):
            for obj in batch.to_pylist():
                row += 1
                yield make_article(obj, f"{ref}:{row}")
    except (pa.ArrowException, ValueError) as e:
        yield RecordError("E112", ref, detail=f"{ref}: not readable as Parquet ({e})")


def field_of(obj: dict, name: str):
    for key in FIELD_ALIASES[name]:
        if obj.get(key) not in (None, ""):
            return obj[key]
    return None


def make_article(obj: dict, ref: str, *, source_kind: str = "file", source_id: object = None,
                 from_page: bool = False) -> Item:
    """An Article from a record's fields (any alias in ``FIELD_ALIASES``), or why it cannot be one. A
    text that is an HTML page is read as one (unless it already came out of one: ``from_page``)."""
    text = field_of(obj, "text")
    if text is not None and not isinstance(text, str):
        return RecordError("E108", ref)
    if not text or not text.strip():
        return RecordError("E102", ref)
    if is_binary_text(text):
        return RecordError("E111", ref, detail=f"{ref}: binary content (control characters), not text")
    if not from_page and looks_like_html(text):
        return page_article(text.encode("utf-8"), ref, url=_text(field_of(obj, "url")), source_kind=source_kind,
                            fields=obj)
    if len(text) > MAX_CHARS:
        return RecordError("E104", ref, detail=len(text), limit=MAX_CHARS)
    try:
        day = as_date(field_of(obj, "date"), ref)
    except RecordError as e:
        return e
    sid = field_of(obj, "id") if source_id is None else source_id
    url = _text(field_of(obj, "url"))
    return Article(text, _text(field_of(obj, "title")), day, _text(field_of(obj, "outlet")) or _host(url), url,
                   source_kind, ref, None if sid is None else str(sid))


def _text(value) -> str | None:
    return None if value is None else str(value).strip() or None


def as_date(value, ref: str) -> dt.date | None:
    """A date from ISO (``2022-03-01``, ``20220301``, ``2022-03-01T10:00Z``), RFC 822 (feeds) or a date."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = str(value).strip()
    if re.match(r"^[A-Za-z]{3}, \d", text) or re.match(r"^\d{1,2} [A-Za-z]{3} \d{4}", text):
        try:
            return email.utils.parsedate_to_datetime(text).date()
        except (TypeError, ValueError) as e:
            raise RecordError("E106", ref, detail=text) from e
    return parse_date(text, ref)


def page_article(html: bytes, ref: str, *, url: str | None, source_kind: str, fields: dict | None = None,
                 fallback: dict | None = None) -> Item:
    """An article from an HTML page: body text, title, outlet and date from trafilatura (dates by htmldate);
    ``fields`` given by the source win over the page's, ``fallback`` (a feed entry's) lose to them."""
    import trafilatura
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    except Exception as e:  # noqa: BLE001 - trafilatura/lxml raise many kinds on junk; junk is a failure
        return RecordError("E112", ref, detail=f"{ref}: HTML could not be parsed ({type(e).__name__})")
    text = (getattr(doc, "text", None) or "").strip()
    if len(text.split()) < MIN_PAGE_WORDS:
        return RecordError("E112", ref, detail=f"{ref}: no article text found in the HTML")
    named = doc.sitename if doc.sitename and doc.sitename != doc.hostname else None   # not just the host
    page = {"title": doc.title, "date": doc.date, "outlet": named, "url": url or doc.url}
    merged = {"text": text}
    for layer in (fallback or {}, page, fields or {}):       # later layers win
        merged.update({k: v for k in FIELD_ALIASES if k != "text" and (v := field_of(layer, k)) is not None})
    return make_article(merged, ref, source_kind=source_kind, from_page=True)


def read_url(url: str, fetcher: Fetcher) -> Iterator[Item]:
    try:
        page = fetcher.fetch(url)
    except FetchError as e:
        yield RecordError("E113", url, detail=f"{e}")
        return
    if is_feed(page.body, page.content_type):
        yield from read_feed(page.body, url, fetcher)
    else:
        yield page_article(page.body, url, url=page.url, source_kind="url")


def is_feed(body: bytes, content_type: str = "") -> bool:
    head = body[:SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.search(r"(rss|atom)\+xml", content_type):
        return True
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def read_feed(body: bytes, url: str, fetcher: Fetcher) -> Iterator[Item]:
    """Each entry of an RSS/Atom feed: its page is fetched and read; the entry's date, title and the
    feed's title fill what the page does not say."""
    import feedparser
    feed = feedparser.parse(body)
    if not feed.entries:
        yield RecordError("E112", url, detail=f"{url}: a feed with no entries")
        return
    outlet = feed.feed.get("title")
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            yield RecordError("E112", url, detail=f"{url}: a feed entry without a link")
            continue
        fallback = {"title": entry.get("title"), "outlet": outlet or _host(link), "date": _entry_date(entry),
                    "id": entry.get("id")}
        try:
            page = fetcher.fetch(link)
        except FetchError as e:
            yield RecordError("E113", link, detail=f"{e}")
            continue
        yield page_article(page.body, link, url=page.url, source_kind="feed", fallback=fallback)


def _entry_date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*parsed[:3]).isoformat() if parsed else None


def _host(url: str | None) -> str | None:
    host = urlparse(url or "").hostname
    return host.removeprefix("www.") if host else None
