"""Writing coded records: JSONL (the contract), CSV (one row per event) and a readable table."""
from __future__ import annotations

import csv
import json
from typing import TextIO

CSV_COLUMNS = ["id", "outlet", "date", "sentence", "trigger", "cameo", "plover", "goldstein", "quad_class",
               "source", "source_name", "target", "target_name", "status", "reported_by", "confidence"]


def failure_record(err) -> dict:
    """The output line for a record that could not be coded (contract fields empty, plus ``error``)."""
    d = err.as_dict()
    return {"id": d["id"], "outlet": None, "date": None,
            "time": {"earliest": None, "latest": None, "basis": []},
            "mentions": [], "events": [], "quotes": [], "warnings": [], "error": d["error"]}


class JsonlWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, rec: dict) -> None:
        self.out.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.flush()


class CsvWriter:
    def __init__(self, out: TextIO) -> None:
        self.writer = csv.DictWriter(out, CSV_COLUMNS)
        self.writer.writeheader()
        self.out = out

    def write(self, rec: dict) -> None:
        for e in rec["events"]:
            self.writer.writerow({
                "id": rec["id"], "outlet": rec["outlet"], "date": rec["date"], "sentence": e["sentence"],
                "trigger": e["trigger"]["text"], "cameo": e["cameo"], "plover": e["plover"],
                "goldstein": e["goldstein"], "quad_class": e["quad_class"],
                "source": _code(e["source"]), "source_name": _name(e["source"]),
                "target": _code(e["target"]), "target_name": _name(e["target"]), "status": e["status"],
                "reported_by": _name(e["reported_by"]) or _code(e["reported_by"]),
                "confidence": e["confidence"]})

    def close(self) -> None:
        self.out.flush()


def _code(actor: dict | None) -> str:
    return actor["code"] if actor else ""


def _name(actor: dict | None) -> str:
    return (actor.get("name") or actor.get("text") or "") if actor else ""


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class TableWriter:
    """A person-readable table of each record's events (and quotes)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, rec: dict) -> None:
        w = self.out.write
        head = f"== {rec['id']}"
        if rec.get("outlet"):
            head += f"  ({rec['outlet']})"
        t = rec.get("time") or {}
        if t.get("earliest") or t.get("latest"):
            head += f"  events between {t.get('earliest') or '?'} and {t.get('latest') or '?'}"
        w(head + "\n")
        if rec.get("error"):
            w(f"   error {rec['error']['code']}: {rec['error']['reason']}\n\n")
            return
        rows = [("PLOVER", "CAMEO", "source", "target", "status", "trigger")]
        for e in rec["events"]:
            status = e["status"] + (f" by {_name(e['reported_by'])}" if e.get("reported_by") else "")
            rows.append((e["plover"] or "-", e["cameo"], _label(e["source"]), _label(e["target"]), status,
                         f"“{e['trigger']['text']}”"))
        widths = [max(len(_cell(r[i], 34)) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            w("   " + "  ".join(_cell(c, 34).ljust(widths[i]) for i, c in enumerate(r)).rstrip() + "\n")
        if len(rows) == 1:
            w("   (no events)\n")
        for q in rec.get("quotes") or []:
            speaker = _label(q.get("speaker")) if q.get("speaker") else "?"
            w(f"   quote  {speaker} — {q['cue']['text']}: “{_cell(q['content']['text'], 90)}”\n")
        for warning in rec.get("warnings") or []:
            w(f"   warning {warning}\n")
        w("\n")

    def close(self) -> None:
        self.out.flush()


def _label(actor: dict | None) -> str:
    if not actor:
        return "-"
    name = actor.get("name") or actor.get("text")
    return f"{actor['code']} ({name})" if actor.get("code") else name


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "table": TableWriter}


def quote_lines(rec: dict) -> list[str]:
    """A record's quotes for a person to read: speaker (code), cue, and the content."""
    lines = [f"== {rec['id']}: {len(rec.get('quotes') or [])} quote(s)"]
    for q in rec.get("quotes") or []:
        speaker = _label(q.get("speaker")) if q.get("speaker") else "(unknown speaker)"
        lines.append(f"   {speaker} — {q['kind']}, cue “{q['cue']['text']}”")
        lines.append(f"      “{q['content']['text']}”")
    return lines
