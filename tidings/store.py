"""The store: one embedded DuckDB file (``tidings.duckdb``) holding articles and everything coded from them.

Tables (columns in ``TABLES``)::

    articles         one row per distinct text (article_id = hash of the normalised text), in ingest order (seq)
    article_sources  every file / line / URL an article was seen at
    runs             each ``tidings run``: tidings version, spaCy pipeline name and version, engine, counts
    codings          one row per coded article: its run (provenance), ok or not, the contract record as JSON
    events           one row per event, flattened for queries, plus the event's JSON (lossless export)
    actors, quotes   the record's mentions and quotes, flattened
    clusters         events of many articles that report one real-world event (see clusters.py)
    failures         what could not be ingested or coded, and why

Safety: the coding of a batch (its codings, events, actors, quotes and failures rows) is written in one
transaction, so a process killed at any moment leaves every article either coded once or not at all.
There is one writer: the process that opened the store; coding workers never touch it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from .clusters import block_key

__all__ = ["DEFAULT_DB", "TABLES", "Store", "StoreError"]

DEFAULT_DB = "tidings.duckdb"
SCHEMA_VERSION = "1"
_ARROW = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(),
          "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BOOLEAN": pa.bool_()}
_ACTOR = ["code", "name", "text", "country", "sector", "kb_id"]
TABLES: dict[str, list[tuple[str, str]]] = {
    "meta": [("key", "VARCHAR PRIMARY KEY"), ("value", "VARCHAR")],
    "articles": [("article_id", "VARCHAR PRIMARY KEY"), ("seq", "BIGINT"), ("text", "VARCHAR"), ("title", "VARCHAR"),
                 ("date", "DATE"), ("outlet", "VARCHAR"), ("url", "VARCHAR"), ("source_kind", "VARCHAR"),
                 ("source_ref", "VARCHAR"), ("source_id", "VARCHAR"), ("chars", "INTEGER"),
                 ("ingested_at", "TIMESTAMP")],
    "article_sources": [("article_id", "VARCHAR"), ("source_ref", "VARCHAR"), ("source_kind", "VARCHAR"),
                        ("source_id", "VARCHAR"), ("seen_at", "TIMESTAMP")],
    "runs": [("run_id", "BIGINT PRIMARY KEY"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
             ("tidings_version", "VARCHAR"), ("pipeline_name", "VARCHAR"), ("pipeline_version", "VARCHAR"),
             ("pipeline_package", "VARCHAR"), ("engine", "VARCHAR"), ("workers", "INTEGER"),
             ("coded", "BIGINT"), ("failed", "BIGINT")],
    "codings": [("article_id", "VARCHAR PRIMARY KEY"), ("seq", "BIGINT"), ("run_id", "BIGINT"), ("ok", "BOOLEAN"),
                ("outlet", "VARCHAR"), ("n_events", "INTEGER"), ("record", "VARCHAR"), ("error_code", "VARCHAR"),
                ("error_reason", "VARCHAR"), ("coded_at", "TIMESTAMP")],
    "events": [("event_id", "VARCHAR PRIMARY KEY"), ("event_seq", "BIGINT"), ("article_id", "VARCHAR"),
               ("idx", "INTEGER"), ("sentence", "INTEGER"), ("trigger", "VARCHAR"), ("trigger_start", "INTEGER"),
               ("trigger_end", "INTEGER"), ("cameo", "VARCHAR"), ("plover", "VARCHAR"), ("plover_mode", "VARCHAR"),
               ("goldstein", "DOUBLE"), ("quad_class", "INTEGER")]
              + [(f"{role}_{k}", "VARCHAR") for role in ("source", "target") for k in _ACTOR]
              + [("status", "VARCHAR"), ("reported_by_code", "VARCHAR"), ("reported_by_name", "VARCHAR"),
                 ("location_name", "VARCHAR"), ("location_country", "VARCHAR"), ("location_lat", "DOUBLE"),
                 ("location_lon", "DOUBLE"), ("when_earliest", "DATE"), ("when_latest", "DATE"),
                 ("event_date", "DATE"), ("article_date", "DATE"), ("outlet", "VARCHAR"), ("url", "VARCHAR"),
                 ("confidence", "DOUBLE"), ("sentence_text", "VARCHAR"), ("event_json", "VARCHAR"),
                 ("run_id", "BIGINT"), ("coded_at", "TIMESTAMP"), ("block", "VARCHAR"), ("cluster_id", "VARCHAR")],
    "actors": [("article_id", "VARCHAR"), ("idx", "INTEGER"), ("text", "VARCHAR"), ("start_char", "INTEGER"),
               ("end_char", "INTEGER"), ("name", "VARCHAR"), ("kb_id", "VARCHAR"), ("country", "VARCHAR"),
               ("sector", "VARCHAR"), ("code", "VARCHAR")],
    "quotes": [("article_id", "VARCHAR"), ("idx", "INTEGER"), ("kind", "VARCHAR"), ("speaker_code", "VARCHAR"),
               ("speaker_name", "VARCHAR"), ("cue", "VARCHAR"), ("content", "VARCHAR"),
               ("content_start", "INTEGER"), ("content_end", "INTEGER"), ("quote_json", "VARCHAR")],
    "clusters": [("cluster_id", "VARCHAR PRIMARY KEY"), ("block", "VARCHAR"), ("first_seen", "DATE"),
                 ("last_seen", "DATE"), ("articles", "INTEGER"), ("outlets", "INTEGER"), ("events", "INTEGER")],
    "failures": [("failure_id", "VARCHAR PRIMARY KEY"), ("stage", "VARCHAR"), ("ref", "VARCHAR"),
                 ("article_id", "VARCHAR"), ("code", "VARCHAR"), ("reason", "VARCHAR"), ("run_id", "BIGINT"),
                 ("failed_at", "TIMESTAMP")],
}
KEYS = {"article_sources": "article_id, source_ref", "actors": "article_id, idx", "quotes": "article_id, idx"}


class StoreError(Exception):
    """The store file cannot be opened (locked by another process, not a DuckDB file, newer schema)."""


def schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW[kind.split()[0]]) for name, kind in TABLES[table]])


def _ddl(table: str) -> str:
    cols = ", ".join(f"{name} {kind}" for name, kind in TABLES[table])
    key = f", PRIMARY KEY ({KEYS[table]})" if table in KEYS else ""
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols}{key})"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class Store:
    """An open store. ``Store(path)`` creates the file and its tables if needed; use as a context manager."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = str(path)
        self._counters: dict[tuple[str, str], int] = {}
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store (run `tidings ingest` first)")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: {e}") from e
        if not read_only:
            self._create()

    def _create(self) -> None:
        with self.transaction():
            for table in TABLES:
                self.con.execute(_ddl(table))
            self.con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        found = self.scalar("SELECT value FROM meta WHERE key = 'schema_version'")
        if found != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {found}, this tidings reads {SCHEMA_VERSION}")

    def _next(self, table: str, column: str) -> int:
        """The next number of a counter column (max + 1, kept in memory: one writer; a rolled-back
        transaction leaves a gap, never a duplicate)."""
        key = (table, column)
        if key not in self._counters:
            self._counters[key] = self.scalar(f"SELECT coalesce(max({column}), 0) FROM {table}")
        self._counters[key] += 1
        return self._counters[key]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def scalar(self, sql: str, params: list | None = None):
        rows = self.con.execute(sql, params or []).fetchall()   # fetch all: DuckDB 2 refuses new work
        return rows[0][0] if rows else None                      # while a result is unfinished

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def insert(self, table: str, rows: list[dict], *, mode: str = "OR IGNORE") -> None:
        """Insert dict rows through Arrow (fast for big batches); ``mode`` '' raises on a duplicate key."""
        if not rows:
            return
        names = [n for n, _ in TABLES[table]]
        batch = pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], schema=schema(table))
        self.con.register("_batch", batch)
        try:
            self.con.execute(f"INSERT {mode} INTO {table} ({', '.join(names)}) SELECT * FROM _batch")
        finally:
            self.con.unregister("_batch")

    # ------------------------------------------------------------------ ingest
    def add_articles(self, articles: list) -> int:
        """Store new articles (ingest.Article); returns how many were new. One transaction."""
        with self.transaction():
            ids = list({a.article_id for a in articles})
            known = {r[0] for r in self.con.execute(
                "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [ids]).fetchall()}
            fresh, t = {}, now()
            for a in articles:
                if a.article_id not in known and a.article_id not in fresh:
                    fresh[a.article_id] = {**vars(a), "seq": self._next("articles", "seq"), "chars": len(a.text),
                                           "ingested_at": t}
            self.insert("articles", list(fresh.values()))
            self.insert("article_sources", [{**vars(a), "seen_at": t} for a in articles])
        return len(fresh)

    def add_failures(self, stage: str, errors: list, run_id: int | None = None) -> None:
        """Record RecordErrors (``record_id`` = the file, line, URL or article) with their reasons."""
        self.insert("failures", [failure_row(stage, e, run_id) for e in errors], mode="OR REPLACE")

    # ------------------------------------------------------------------ coding
    def start_run(self, engine: str, workers: int, version: str, pipeline: dict) -> int:
        run_id = self.scalar("SELECT coalesce(max(run_id), 0) + 1 FROM runs")
        self.insert("runs", [{"run_id": run_id, "started_at": now(), "tidings_version": version,
                              "pipeline_name": pipeline.get("name"), "pipeline_version": pipeline.get("version"),
                              "pipeline_package": pipeline.get("package"), "engine": engine, "workers": workers}],
                    mode="")
        return run_id

    def finish_run(self, run_id: int, coded: int, failed: int) -> None:
        self.con.execute("UPDATE runs SET finished_at = ?, coded = ?, failed = ? WHERE run_id = ?",
                         [now(), coded, failed, run_id])

    def uncoded(self, after_seq: int = 0, limit: int = 1000) -> tuple[list[dict], int | None]:
        """The articles not yet coded among the next ``limit`` after ``after_seq``, in ingest order, and
        the last seq looked at (None at the end). Both tables are read by seq range, so a page costs the
        same on a store of a hundred articles or a hundred million (DuckDB skips row groups by min/max)."""
        page = self.rows("SELECT article_id, seq, text, date, outlet, title, url FROM articles WHERE seq > ? "
                         "ORDER BY seq LIMIT ?", [after_seq, limit])
        if not page:
            return [], None
        lo, hi = page[0]["seq"], page[-1]["seq"]
        done = {r[0] for r in self.con.execute("SELECT article_id FROM codings WHERE seq BETWEEN ? AND ?",
                                               [lo, hi]).fetchall()}
        return [a for a in page if a["article_id"] not in done], hi

    def count_uncoded(self) -> int:
        return self.scalar("SELECT count(*) FROM articles a ANTI JOIN codings c USING (article_id)")

    def save_coded(self, run_id: int, results: list, articles: dict[str, dict]) -> None:
        """Write one batch of results (contract dicts or RecordErrors, ``id`` = article_id) in ONE
        transaction: codings, events, actors, quotes, failures. ``articles`` maps id -> article row."""
        t = now()
        with self.transaction():
            codings, events, actors, quotes, errors = [], [], [], [], []
            for res in results:
                art = articles[str(res["id"] if isinstance(res, dict) else res.record_id)]
                codings.append(coding_row(run_id, res, t, art["seq"]))
                if isinstance(res, dict):
                    events += [event_row(art, res, i, e, self._next("events", "event_seq"), run_id, t)
                               for i, e in enumerate(res["events"])]
                    actors += [actor_row(art["article_id"], i, m) for i, m in enumerate(res["mentions"])]
                    quotes += [quote_row(art["article_id"], i, q) for i, q in enumerate(res["quotes"])]
                else:
                    errors.append(res)
            self.insert("codings", codings, mode="")
            for table, rows in (("events", events), ("actors", actors), ("quotes", quotes)):
                self.insert(table, rows, mode="")
            self.add_failures("code", errors, run_id)

    def retry_failed(self) -> int:
        """Forget failed codings so the next run codes those articles again; returns how many."""
        with self.transaction():
            n = self.scalar("SELECT count(*) FROM codings WHERE NOT ok")
            self.con.execute("DELETE FROM failures WHERE stage = 'code'")
            self.con.execute("DELETE FROM codings WHERE NOT ok")
        return n

    # ------------------------------------------------------------------ clusters
    def block_reports(self, blocks: list[str]) -> list[dict]:
        """The events of these blocks as clusters.Report fields (plus ``block``)."""
        return self.rows("SELECT block, event_id, article_id, outlet, article_date, when_earliest AS earliest, "
                         "when_latest AS latest, trigger, sentence_text AS sentence, location_name AS place, "
                         "coalesce(nullif(target_country, ''), nullif(target_code, '')) AS target, "
                         "coalesce(nullif(source_country, ''), nullif(source_code, '')) AS source "
                         "FROM events WHERE block IN (SELECT unnest(?))", [blocks])

    def save_clusters(self, blocks: list[str], assignments: list[dict], clusters: list[dict]) -> None:
        """Replace these blocks' clusters and point their events at them, in one transaction."""
        batch = pa.Table.from_pylist(assignments, schema=pa.schema([("event_id", pa.string()),
                                                                    ("cluster_id", pa.string())]))
        with self.transaction():
            self.con.execute("DELETE FROM clusters WHERE block IN (SELECT unnest(?))", [blocks])
            self.insert("clusters", clusters, mode="")
            self.con.register("_assign", batch)
            try:
                self.con.execute("UPDATE events SET cluster_id = _assign.cluster_id FROM _assign "
                                 "WHERE events.event_id = _assign.event_id")
            finally:
                self.con.unregister("_assign")

    # ------------------------------------------------------------------ reading
    def failures(self, stage: str | None = None, limit: int | None = None) -> list[dict]:
        sql = "SELECT stage, ref, code, reason, run_id, failed_at FROM failures"
        sql += " WHERE stage = ?" if stage else ""
        sql += " ORDER BY failed_at, ref" + (f" LIMIT {int(limit)}" if limit else "")
        return self.rows(sql, [stage] if stage else [])

    def stats(self) -> dict:
        counts = {t: self.scalar(f"SELECT count(*) FROM {t}")
                  for t in ("articles", "events", "actors", "quotes", "clusters", "failures", "runs")}
        counts["coded"] = self.scalar("SELECT count(*) FROM codings WHERE ok")
        counts["failed_coding"] = self.scalar("SELECT count(*) FROM codings WHERE NOT ok")
        counts["uncoded"] = self.count_uncoded()
        return counts


# ---------------------------------------------------------------------- rows
def failure_row(stage: str, err, run_id: int | None) -> dict:
    ref = str(err.record_id)
    key = hashlib.blake2b(f"{stage}\0{ref}\0{err.code}".encode(), digest_size=12).hexdigest()
    return {"failure_id": key, "stage": stage, "ref": ref, "article_id": ref if stage == "code" else None,
            "code": err.code, "reason": err.as_dict()["error"]["reason"], "run_id": run_id, "failed_at": now()}


def coding_row(run_id: int, res, t: dt.datetime, seq: int) -> dict:
    if isinstance(res, dict):
        return {"article_id": res["id"], "seq": seq, "run_id": run_id, "ok": True, "outlet": res.get("outlet"),
                "n_events": len(res["events"]), "record": json.dumps(res, ensure_ascii=False), "coded_at": t}
    d = res.as_dict()["error"]
    return {"article_id": str(res.record_id), "seq": seq, "run_id": run_id, "ok": False, "n_events": 0,
            "error_code": d["code"], "error_reason": d["reason"], "coded_at": t}


def event_row(art: dict, rec: dict, idx: int, e: dict, seq: int, run_id: int, t: dt.datetime) -> dict:
    when = e.get("when") or {}
    loc = e.get("location") or {}
    day = _date(art.get("date"))
    row = {"event_id": f"{art['article_id']}:{idx}", "event_seq": seq, "article_id": art["article_id"],
           "idx": idx, "sentence": e["sentence"], "trigger": e["trigger"]["text"],
           "trigger_start": e["trigger"]["start"], "trigger_end": e["trigger"]["end"], "cameo": e["cameo"],
           "plover": e.get("plover"), "plover_mode": e.get("plover_mode"), "goldstein": e.get("goldstein"),
           "quad_class": e.get("quad_class"), "status": e.get("status"),
           "reported_by_code": (e.get("reported_by") or {}).get("code"),
           "reported_by_name": (e.get("reported_by") or {}).get("name") or (e.get("reported_by") or {}).get("text"),
           "location_name": loc.get("name"), "location_country": loc.get("country"),
           "location_lat": loc.get("lat"), "location_lon": loc.get("lon"),
           "when_earliest": _date(when.get("earliest")), "when_latest": _date(when.get("latest")),
           "event_date": _date(when.get("earliest")) or day, "article_date": day,
           "outlet": rec.get("outlet") or art.get("outlet"), "url": art.get("url"), "confidence": e.get("confidence"),
           "sentence_text": sentence_around(art["text"], e["trigger"]["start"], e["trigger"]["end"]),
           "event_json": json.dumps(e, ensure_ascii=False), "run_id": run_id, "coded_at": t,
           "block": block_key(e.get("source"), e.get("plover"), e["cameo"])}
    for role in ("source", "target"):
        actor = e.get(role) or {}
        row.update({f"{role}_{k}": actor.get(k) for k in _ACTOR})
    return row


def actor_row(article_id: str, idx: int, m: dict) -> dict:
    return {"article_id": article_id, "idx": idx, "text": m["text"], "start_char": m["start"],
            "end_char": m["end"], **{k: m.get(k) for k in ("name", "kb_id", "country", "sector", "code")}}


def quote_row(article_id: str, idx: int, q: dict) -> dict:
    speaker = q.get("speaker") or {}
    return {"article_id": article_id, "idx": idx, "kind": q.get("kind"), "speaker_code": speaker.get("code"),
            "speaker_name": speaker.get("name") or speaker.get("text"), "cue": (q.get("cue") or {}).get("text"),
            "content": q["content"]["text"], "content_start": q["content"]["start"],
            "content_end": q["content"]["end"], "quote_json": json.dumps(q, ensure_ascii=False)}


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")


def sentence_around(text: str, start: int, end: int, limit: int = 600) -> str:
    """The sentence holding text[start:end], by punctuation (the event's evidence, and what clustering
    compares); at most ``limit`` characters around the trigger."""
    left = max((m.end() for m in _BOUNDARY.finditer(text, max(0, start - limit), start)), default=max(0, start - limit))
    right = next((m.start() for m in _BOUNDARY.finditer(text, end, end + limit)), min(len(text), end + limit))
    return text[left:right].strip()
