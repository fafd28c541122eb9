"""Coding at scale: ``run`` codes what the store has not coded yet, with local worker processes or on Ray;
``code_parquet`` codes sharded Parquet files to Parquet with either engine.

Both engines produce the same records. Workers code; only the calling process writes (to the store, one
transaction per batch, so kill -9 at any moment loses nothing and duplicates nothing). On Ray, each
actor of an actor pool loads the spaCy pipeline once; between stages only plain columns travel (the
article's fields in, the contract record as a JSON string out).
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import RecordError
from .ingest import FIELD_ALIASES, field_of

__all__ = ["ENGINES", "RayCoder", "RunSummary", "code_parquet", "run"]

COMMIT_BATCH = 32       # articles per store transaction: 4 coder chunks (coder.BATCH = 8); a kill loses at
                        # most this much work, and commits stay well under 1% of coding time
PAGE = 1000             # articles read from the store at a time
BLOCKS_PER_ACTOR = 4    # Ray blocks per actor at least, so every actor of the pool gets work (one input file
                        # is one block otherwise: STACK.md)
MAX_BLOCK_ROWS = 512    # rows per Ray block at most: ~5-10 s of coding, small enough to spread, big enough
                        # that per-block overhead (~10 ms) stays under 1%
SHARD_ROWS = 5000       # rows per Parquet shard handed to Ray by `run --engine ray`
ACTOR_CPUS = 0.5        # CPUs reserved per Ray actor: 1.0 with 2 actors on 2 CPUs starved the read task
                        # (STACK.md), so the pool leaves room for it
ENGINES = ("local", "ray")
OUT_SCHEMA = pa.schema([("id", pa.string()), ("record", pa.string()), ("error_code", pa.string()),
                        ("error_reason", pa.string())])
STORE_COLUMNS = [("article_id", pa.string()), ("seq", pa.int64()), ("text", pa.string()), ("date", pa.date32()),
                 ("outlet", pa.string()), ("title", pa.string()), ("url", pa.string())]


@dataclass
class RunSummary:
    run_id: int
    coded: int = 0
    failed: int = 0
    events: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(vars(self))


# ---------------------------------------------------------------------- one batch, either engine
def as_record(row: dict) -> dict:
    """An input row (any FIELD_ALIASES name) as the coder's input dict."""
    rec = {name: field_of(row, name) for name in FIELD_ALIASES}
    if "article_id" in row:
        rec["id"] = row["article_id"]
    if rec["date"] is not None and not isinstance(rec["date"], str):
        rec["date"] = rec["date"].isoformat()[:10]
    return rec


def result_row(res) -> dict:
    """One coder result as plain columns: the record as JSON, or the error's code and reason."""
    if isinstance(res, RecordError):
        err = res.as_dict()["error"]
        return {"id": str(res.record_id), "record": None, "error_code": err["code"], "error_reason": err["reason"]}
    return {"id": str(res["id"]), "record": json.dumps(res, ensure_ascii=False), "error_code": None,
            "error_reason": None}


def result_of(row: dict):
    """Back from plain columns: the record dict, or a RecordError with the same code and reason."""
    if row.get("record"):
        return json.loads(row["record"])
    err = RecordError("E110", row["id"], detail="")
    err.code, err.args = row["error_code"], (f"{row['error_code']} {row['error_reason']}",)
    return err


def code_table(table: pa.Table, keep: Iterable[str] = ()) -> pa.Table:
    """Code a table of articles (one worker, in order); the result columns plus the ``keep`` columns."""
    from .coder import code_records
    rows = table.to_pylist()
    out = [result_row(r) for r in code_records((as_record(r) for r in rows), workers=1)]
    result = pa.Table.from_pylist(out, schema=OUT_SCHEMA)
    for name in keep:
        result = result.append_column(table.schema.field(name), table.column(name))
    return result


class RayCoder:
    """A Ray Data actor: loads the tidings pipeline once, then codes batch after batch."""

    def __init__(self, keep: tuple[str, ...] = ()) -> None:
        from .coder import warm_up
        warm_up()
        self.keep = keep

    def __call__(self, batch: pa.Table) -> pa.Table:
        return code_table(batch, self.keep)


# ---------------------------------------------------------------------- Parquet in, Parquet out
def ray_code(inputs: list[str], out_dir: str | Path, *, workers: int = 2, address: str | None = None,
             keep: tuple[str, ...] = ()) -> None:
    """Code Parquet files on Ray (local, or the cluster at ``address``) into Parquet files in out_dir."""
    import ray
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    from .coder import BATCH
    _settle_fsspec_http()
    rows_per_block = block_rows(inputs, workers)
    ds = ray.data.read_parquet(inputs).repartition(target_num_rows_per_block=rows_per_block)
    coded = ds.map_batches(RayCoder, fn_constructor_kwargs={"keep": keep}, batch_size=min(BATCH, rows_per_block),
                           batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=workers),
                           num_cpus=ACTOR_CPUS)
    coded.write_parquet(str(out_dir))


def _settle_fsspec_http() -> None:
    """Ray Data (2.60) resolves input paths in several threads, each importing fsspec's HTTP filesystem;
    without aiohttp that import fails, and two threads failing at once get an ImportError Ray does not
    catch (seen here: read_parquet on two files). Marking the module absent makes every import fail the
    same, caught way (ModuleNotFoundError); nothing is lost: it could not be imported anyway."""
    import importlib.util
    if importlib.util.find_spec("aiohttp") is None:
        sys.modules.setdefault("fsspec.implementations.http", None)


def block_rows(inputs: list[str], workers: int) -> int:
    """Rows per Ray block: the input split in at least BLOCKS_PER_ACTOR blocks per actor."""
    try:
        total = sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files(inputs))
    except (OSError, pa.ArrowException):        # remote or unreadable here: let Ray find out
        return MAX_BLOCK_ROWS
    return max(1, min(MAX_BLOCK_ROWS, total // (workers * BLOCKS_PER_ACTOR)))


def local_code(inputs: list[str], out_dir: str | Path, *, workers: int = 1, progress: bool = False) -> int:
    """Code Parquet files with local worker processes (one pool for all files): one output file per
    input file, rows in input order."""
    from .coder import code_records
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    origin: deque = deque()             # the input file of each row in flight (results come in order)

    def rows() -> Iterator[dict]:
        for i, path in enumerate(inputs):
            for batch in pq.ParquetFile(path).iter_batches(1024):
                for row in batch.to_pylist():
                    origin.append(i)
                    yield as_record(row)

    writers: dict[int, pq.ParquetWriter] = {}
    pending: dict[int, list[dict]] = {}
    n = 0
    try:
        for res in _bar(code_records(rows(), workers=workers), progress, "articles"):
            i = origin.popleft()
            pending.setdefault(i, []).append(result_row(res))
            n += 1
            if len(pending[i]) >= 1024:
                _write(writers, pending, i, out_dir)
        for i in range(len(inputs)):
            _write(writers, pending, i, out_dir)
    finally:
        for writer in writers.values():
            writer.close()
    return n


def _write(writers: dict, pending: dict, i: int, out_dir: Path) -> None:
    if i not in writers:
        writers[i] = pq.ParquetWriter(out_dir / f"part-{i:05d}.parquet", OUT_SCHEMA)
    writers[i].write_table(pa.Table.from_pylist(pending.pop(i, []), schema=OUT_SCHEMA))


def code_parquet(inputs: list[str], out_dir: str | Path, *, engine: str = "local", workers: int = 1,
                 address: str | None = None, progress: bool = False) -> int | None:
    """Code Parquet files (columns id, text, date?, title?, url?, outlet?) into Parquet files of
    (id, record, error_code, error_reason) in out_dir; returns the number of output rows (None when
    Ray wrote them to a remote URI)."""
    files = parquet_files(inputs)
    if engine == "ray":
        ray_code(files, out_dir, workers=workers, address=address)
        if "://" in str(out_dir):
            return None
        return sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files([str(out_dir)]))
    return local_code(files, out_dir, workers=workers, progress=progress)


def parquet_files(inputs: Iterable[str]) -> list[str]:
    """Local folders expanded to their .parquet files; files and URIs (s3://, gs://...) as given."""
    files: list[str] = []
    for item in map(str, inputs):
        path = Path(item)
        files += sorted(map(str, path.rglob("*.parquet"))) if "://" not in item and path.is_dir() else [item]
    return files


def read_results(out_dir: str | Path) -> Iterator[dict]:
    for path in parquet_files([str(out_dir)]):
        for batch in pq.ParquetFile(path).iter_batches(256):
            yield from batch.to_pylist()


# ---------------------------------------------------------------------- the store
def run(store, *, engine: str = "local", workers: int = 1, address: str | None = None, progress: bool = False,
        retry_failed: bool = False) -> RunSummary:
    """Code every stored article not yet coded, write each batch in one transaction, then update the
    event clusters. Safe to kill at any moment and run again."""
    import tidings

    from . import clusters, nlp
    if retry_failed:
        store.retry_failed()
    started = time.perf_counter()
    summary = RunSummary(store.start_run(engine, workers, tidings.__version__, nlp.pipeline_info(nlp.load())))
    pairs = _ray_pairs(store, workers, address) if engine == "ray" else _local_pairs(store, workers)
    batch: list = []
    articles: dict[str, dict] = {}
    for res, art in _bar(pairs, progress, "articles", total=store.count_uncoded()):
        batch.append(res)
        articles[art["article_id"]] = art
        if len(batch) >= COMMIT_BATCH:
            _commit(store, summary, batch, articles)
    _commit(store, summary, batch, articles)
    clusters.update(store)
    summary.seconds = round(time.perf_counter() - started, 2)
    store.finish_run(summary.run_id, summary.coded, summary.failed)
    return summary


def _commit(store, summary: RunSummary, batch: list, articles: dict) -> None:
    if batch:
        store.save_coded(summary.run_id, batch, articles)
        for res in batch:
            summary.coded += isinstance(res, dict)
            summary.failed += isinstance(res, RecordError)
            summary.events += len(res["events"]) if isinstance(res, dict) else 0
    batch.clear()
    articles.clear()


def uncoded_articles(store) -> Iterator[dict]:
    after = 0
    while after is not None:
        page, after = store.uncoded(after, PAGE)
        yield from page


def _local_pairs(store, workers: int) -> Iterator[tuple]:
    """(result, article) pairs in order: the coder keeps input order, so a queue pairs them up."""
    from .coder import code_records
    in_flight: deque = deque()

    def records() -> Iterator[dict]:
        for art in uncoded_articles(store):
            in_flight.append(art)
            yield as_record(art)

    for res in code_records(records(), workers=workers):
        yield res, in_flight.popleft()


def _ray_pairs(store, workers: int, address: str | None) -> Iterator[tuple]:
    """Uncoded articles to Parquet shards next to the store, coded on Ray, read back with their
    article columns (the order does not matter: each result names its article)."""
    work = Path(f"{store.path}.work")
    shutil.rmtree(work, ignore_errors=True)
    n = _export_uncoded(store, work / "in")
    if n:
        keep = tuple(name for name, _ in STORE_COLUMNS)
        ray_code([str(work / "in")], work / "out", workers=workers, address=address, keep=keep)
        for row in read_results(work / "out"):
            art = {name: row[name] for name, _ in STORE_COLUMNS}
            yield result_of(row), art
    shutil.rmtree(work, ignore_errors=True)


def _export_uncoded(store, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema(STORE_COLUMNS)
    shard: list[dict] = []
    n = 0
    for art in uncoded_articles(store):
        shard.append(art)
        if len(shard) >= SHARD_ROWS:
            pq.write_table(pa.Table.from_pylist(shard, schema=schema), folder / f"shard-{n // SHARD_ROWS:05d}.parquet")
            n, shard = n + len(shard), []
    if shard:
        pq.write_table(pa.Table.from_pylist(shard, schema=schema), folder / f"shard-{n // SHARD_ROWS:05d}.parquet")
        n += len(shard)
    return n


def _bar(items, progress: bool, unit: str, total: int | None = None):
    from tqdm import tqdm
    return tqdm(items, total=total, unit=f" {unit}", disable=not progress, file=sys.stderr, leave=False,
                mininterval=0.5)
