"""Coding records: one text (``code``), or a stream of records with workers (``code_records``)."""
from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterable, Iterator
from typing import Union

from . import nlp as nlp_mod
from .errors import RecordError
from .record import InputRecord, check_codable, from_dict, output, parse_date

Result = Union[dict, RecordError]
BATCH = 8          # texts per nlp.pipe batch


def code(text: str, date: str | dt.date | None = None, *, id: object = "text", outlet: str | None = None) -> dict:
    """Code one text; returns the contract record. Raises RecordError if it cannot be coded."""
    day = date if isinstance(date, dt.date) else parse_date(date, id)
    rec = InputRecord(id, text, day, outlet=outlet)
    result = next(_code_batch([rec]))
    if isinstance(result, RecordError):
        raise result
    return result


def _doc_for(nlp, rec: InputRecord):
    doc = nlp.make_doc(rec.text)
    doc._.date = rec.date
    doc._.outlet = rec.outlet
    return doc


def _code_batch(recs: list[InputRecord]) -> Iterator[Result]:
    """Results in input order; a record that fails gets its RecordError, the others go on."""
    nlp = nlp_mod.load()
    ok: list[InputRecord] = []
    results: list[Result | None] = []
    for rec in recs:
        try:
            check_codable(rec)
            ok.append(rec)
            results.append(None)
        except RecordError as e:
            results.append(e)
    docs = nlp.pipe((_doc_for(nlp, r) for r in ok), batch_size=BATCH)
    coded = iter(zip(ok, docs))
    for res in results:
        if res is not None:
            yield res
            continue
        rec, doc = next(coded)
        try:
            yield output(rec, doc)
        except Exception as e:  # noqa: BLE001 - one bad record never sinks a batch
            yield RecordError("E110", rec.id, detail=f"{type(e).__name__}: {e}")


def _chunks(items: Iterable[InputRecord | RecordError], size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _code_chunk(chunk: list) -> list[Result]:
    recs = [c for c in chunk if isinstance(c, InputRecord)]
    coded = iter(_code_batch_safe(recs))
    return [c if isinstance(c, RecordError) else next(coded) for c in chunk]


def _code_batch_safe(recs: list[InputRecord]) -> list[Result]:
    try:
        return list(_code_batch(recs))
    except Exception:  # noqa: BLE001 - retry one by one so one bad record never sinks the chunk
        out: list[Result] = []
        for r in recs:
            try:
                out.extend(_code_batch([r]))
            except Exception as e:  # noqa: BLE001
                out.append(RecordError("E110", r.id, detail=f"{type(e).__name__}: {e}"))
        return out


def warm_up() -> None:
    """Load everything that is loaded lazily (pipeline, language identifier, gazetteer) once, so that
    forked workers share it instead of each loading its own."""
    from .geo import default_gazetteer
    from .record import _identifier
    nlp_mod.load()
    _identifier()
    default_gazetteer().lookup("Kyiv")


def code_records(items: Iterable[InputRecord | RecordError | dict], workers: int = 1) -> Iterator[Result]:
    """Stream results in input order. Items may be dicts, InputRecords, or RecordErrors from parsing
    (which pass through), so a reader's errors keep their place in the output."""
    prepared = (_prepare(i) for i in items)
    chunks = _chunks(prepared, BATCH)
    if workers <= 1:
        for chunk in chunks:
            yield from _code_chunk(chunk)
        return
    yield from _parallel(chunks, workers)


def _parallel(chunks: Iterator[list], workers: int) -> Iterator[Result]:
    """Chunks coded by worker processes, results in input order, at most 2 chunks per worker in flight
    (so a stream of any length runs in bounded memory). A worker that dies fails the run loudly
    (BrokenProcessPool) rather than hanging."""
    warm_up()
    ctx = mp.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=warm_up) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_code_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _prepare(item) -> InputRecord | RecordError:
    if isinstance(item, (InputRecord, RecordError)):
        return item
    try:
        return from_dict(item)
    except RecordError as e:
        return e
