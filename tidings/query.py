"""Questions to the store: which events (``events``), and how a dyad's relations went over time (``dyad``).

Filters are shared with export: source/target actor (a code, ``RUSMIL``, or a country, ``RUS``, which
matches every RUS... code), type (a PLOVER type, ``ASSAULT``, or a CAMEO code prefix, ``19``), the event's
date (its own ``when``, else its article's date), status, outlet, and ``dedup`` (one row per event
cluster: its earliest report).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from typing import TextIO

__all__ = ["Filters", "dyad", "events", "write_rows"]

PERIODS = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "quarter": None, "year": "%Y"}
STATUSES = ("asserted", "reported", "negated", "hypothetical")
EVENT_COLUMNS = ["event_date", "source_code", "source_name", "target_code", "target_name", "plover", "cameo",
                 "goldstein", "quad_class", "status", "trigger", "outlet", "article_date", "article_id",
                 "event_id", "cluster_id", "cluster_articles", "cluster_outlets"]
TABLE_COLUMNS = ["event_date", "source_code", "target_code", "plover", "cameo", "goldstein", "status", "trigger",
                 "outlet", "cluster_articles"]
CLUSTER_JOIN = ("LEFT JOIN clusters c ON c.cluster_id = e.cluster_id "
                "LEFT JOIN runs r ON r.run_id = e.run_id")
SELECT_EXTRA = ("c.first_seen AS cluster_first_seen, c.articles AS cluster_articles, "
                "c.outlets AS cluster_outlets")


@dataclass
class Filters:
    source: str | None = None
    target: str | None = None
    type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    status: str | None = None       # one status or a comma list
    outlet: str | None = None
    dedup: bool = False
    limit: int | None = None


def _actor(role: str, value: str) -> tuple[str, list]:
    code = value.upper()
    return f"(e.{role}_code = ? OR e.{role}_country = ?)", [code, code]


def where(f: Filters) -> tuple[str, list]:
    """The WHERE clause (and its parameters) of the filters, over ``events e``."""
    parts, params = ["TRUE"], []
    for role, value in (("source", f.source), ("target", f.target)):
        if value:
            sql, p = _actor(role, value)
            parts.append(sql)
            params += p
    if f.type:
        parts.append("e.cameo LIKE ? || '%'" if f.type.isdigit() else "e.plover = ?")
        params.append(f.type if f.type.isdigit() else f.type.upper())
    if f.since:
        parts.append("e.event_date >= ?")
        params.append(f.since)
    if f.until:
        parts.append("e.event_date <= ?")
        params.append(f.until)
    if f.status:
        wanted = [s.strip().lower() for s in f.status.split(",") if s.strip()]
        parts.append("e.status IN (SELECT unnest(?))")
        params.append(wanted)
    if f.outlet:
        parts.append("lower(e.outlet) = lower(?)")
        params.append(f.outlet)
    return " AND ".join(parts), params


def event_sql(f: Filters, columns: str = "e.*") -> tuple[str, list]:
    """SELECT over the filtered events (with their cluster and run), in date order."""
    cond, params = where(f)
    sql = f"SELECT {columns}, {SELECT_EXTRA} FROM events e {CLUSTER_JOIN} WHERE {cond}"
    if f.dedup:
        sql += (" QUALIFY row_number() OVER (PARTITION BY coalesce(e.cluster_id, e.event_id) "
                "ORDER BY e.event_date NULLS LAST, e.event_seq) = 1")
    sql += " ORDER BY e.event_date NULLS LAST, e.event_seq"
    if f.limit:
        sql += f" LIMIT {int(f.limit)}"
    return sql, params


def events(store, f: Filters) -> list[dict]:
    """The events matching the filters (EVENT_COLUMNS), in date order."""
    sql, params = event_sql(f, "e.*")
    return [{k: r.get(k) for k in EVENT_COLUMNS} for r in store.rows(sql, params)]


def _period(by: str) -> str:
    if by == "quarter":
        return "strftime(e.event_date, '%Y') || '-Q' || quarter(e.event_date)"
    return f"strftime(e.event_date, '{PERIODS[by]}')"


def dyad(store, a: str, b: str, *, by: str = "month", directed: bool = False, f: Filters | None = None) -> list[dict]:
    """Per period: events between actors a and b (both directions unless ``directed``), their Goldstein
    sum and mean, and the distinct real-world events (clusters) behind them."""
    f = f or Filters()
    cond, params = where(Filters(type=f.type, since=f.since, until=f.until, status=f.status, outlet=f.outlet))
    ab, p_ab = _pair(a, b)
    pair, p_pair = (ab, p_ab) if directed else (f"({ab} OR {_pair(b, a)[0]})", p_ab + _pair(b, a)[1])
    sql = (f"SELECT {_period(by)} AS period, count(*) AS events, count(DISTINCT e.cluster_id) AS clusters, "
           "round(sum(e.goldstein), 2) AS goldstein_sum, round(avg(e.goldstein), 3) AS goldstein_mean "
           f"FROM events e WHERE {pair} AND {cond} AND e.event_date IS NOT NULL GROUP BY 1 ORDER BY 1")
    return store.rows(sql, p_pair + params)


def _pair(a: str, b: str) -> tuple[str, list]:
    s, ps = _actor("source", a)
    t, pt = _actor("target", b)
    return f"({s} AND {t})", ps + pt


# ---------------------------------------------------------------------- writing rows
def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def write_rows(rows: list[dict], fmt: str, out: TextIO, columns: list[str] | None = None) -> None:
    """Rows as a table (``columns`` of them), CSV or JSON (an array of objects)."""
    if fmt == "json":
        json.dump([{k: _plain(v) for k, v in r.items()} for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        names = list(rows[0]) if rows else (columns or [])
        writer = csv.DictWriter(out, names)
        writer.writeheader()
        writer.writerows({k: _plain(v) for k, v in r.items()} for r in rows)
    else:
        write_table(rows, out, columns)


def write_table(rows: list[dict], out: TextIO, columns: list[str] | None = None, width: int = 28) -> None:
    names = columns or (list(rows[0]) if rows else [])
    last = len(names) - 1           # the last column is never cut (reasons, triggers)
    cells = [names] + [[_cell(r.get(k), 10_000 if i == last else width) for i, k in enumerate(names)] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(names))]
    out.writelines("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n" for row in cells)
    if not rows:
        out.write("(no rows)\n")


def _cell(value, width: int) -> str:
    text = "" if value is None else str(_plain(value))
    return text if len(text) <= width else text[: width - 1] + "…"
