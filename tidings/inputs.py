"""Reading the inputs of ``tidings code``: JSONL files, ``.txt`` files, folders and stdin.

Each input yields InputRecords; a line that cannot be read yields a RecordError in its place, so the
output keeps one record per input record, in input order.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import RecordError
from .record import InputRecord, from_json_line

Item = InputRecord | RecordError
TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


def read_inputs(paths: list[str], date: dt.date | None = None) -> Iterator[Item]:
    for p in paths:
        if p == "-":
            yield from read_stream(sys.stdin.read(), "stdin", date)
        else:
            yield from read_path(Path(p), date)


def read_path(path: Path, date: dt.date | None = None) -> Iterator[Item]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
                yield from read_path(child, date)
        return
    try:
        raw = path.read_bytes()
    except OSError as e:
        yield RecordError("E109", str(path), detail=f"{path}: {e.strerror}")
        return
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield RecordError("E111", str(path), detail=f"{path}: not UTF-8 text")
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl(content, path.name)
    else:
        yield from read_text(content, path.stem, date)


def read_stream(content: str, name: str, date: dt.date | None) -> Iterator[Item]:
    if content.lstrip().startswith("{"):
        yield from read_jsonl(content, name)
    else:
        yield from read_text(content, name, date)


def read_jsonl(content: str, name: str) -> Iterator[Item]:
    for lineno, line in enumerate(content.splitlines(), 1):
        if line.strip():
            try:
                yield from_json_line(line, f"{name}:{lineno}")
            except RecordError as e:
                yield e


def read_text(content: str, stem: str, date: dt.date | None) -> Iterator[Item]:
    if not content.strip():
        yield RecordError("E102", stem)
    else:
        yield InputRecord(stem, content, date)
