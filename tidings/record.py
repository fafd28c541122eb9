"""Input records in, contract records out (see CONTRACT.md in the project's docs)."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc

from .cameo import lookup
from .errors import RecordError

MAX_CHARS = 200_000          # longer texts are refused (E104): split them; parse time grows with length
MIN_LANG_CHARS = 100         # shorter texts are checked by script only (identification is unreliable:
                             # "President Petro Poroshenko spoke on Monday." was identified as Zulu)
# Languages the identifier chooses among: the world's most published news languages. Restricting the
# set keeps English text full of foreign names from being taken for a small language.
NEWS_LANGUAGES = ["en", "de", "fr", "es", "pt", "it", "nl", "ru", "uk", "pl", "tr", "ar", "fa", "zh", "ja",
                  "ko", "hi", "id", "sv", "cs", "ro", "hu", "el", "he"]


@dataclass
class InputRecord:
    id: object
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None


def parse_date(value: object, record_id: object = None) -> dt.date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text[:10] if "T" in text else text)
    if not m:
        raise RecordError("E106", record_id, detail=text)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as e:
        raise RecordError("E106", record_id, detail=text) from e


def from_json_line(line: str, where: str) -> InputRecord:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise RecordError("E101", where, detail=str(e)) from e
    if not isinstance(obj, dict):
        raise RecordError("E107", where)
    return from_dict(obj, where)


def from_dict(obj: dict, where: str | None = None) -> InputRecord:
    if "id" not in obj or obj["id"] in (None, ""):
        raise RecordError("E105", where)
    rid = obj["id"]
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise RecordError("E108", rid)
    if not text or not text.strip():
        raise RecordError("E102", rid)
    return InputRecord(rid, text, parse_date(obj.get("date"), rid), obj.get("title"), obj.get("url"),
                       obj.get("outlet"))


def check_codable(rec: InputRecord) -> None:
    """Raise RecordError if the text is too long or not English."""
    if len(rec.text) > MAX_CHARS:
        raise RecordError("E104", rec.id, detail=len(rec.text), limit=MAX_CHARS)
    lang = detect_language(rec.text)
    if lang != "en":
        raise RecordError("E103", rec.id, detail=lang)


def detect_language(text: str) -> str:
    """'en', another ISO 639-1 code, or 'non-Latin' for short texts mostly in another script."""
    sample = text[:2000]
    letters = [c for c in sample if c.isalpha()]
    if len(sample.strip()) < MIN_LANG_CHARS:
        latin = sum(c.isascii() for c in letters)
        return "en" if not letters or latin / len(letters) >= 0.5 else "non-Latin"
    return _identifier().classify(sample)[0]


@cache
def _identifier():
    from py3langid.langid import _load_identifier
    return _load_identifier(langs=NEWS_LANGUAGES)


# ---------------------------------------------------------------- output

def span(doc: Doc, start: int, end: int) -> dict:
    s = doc[start:end]
    return {"text": s.text, "start": s.start_char, "end": s.end_char}


def event_dict(doc: Doc, e) -> dict:
    code = lookup(e.cameo)
    return {
        "sentence": e.sentence, "trigger": span(doc, e.trigger_start, e.trigger_end), "cameo": e.cameo,
        "plover": code.plover, "plover_mode": code.plover_mode, "plover_context": list(code.plover_context),
        "goldstein": code.goldstein, "quad_class": code.quad_class,
        "source": e.source.as_actor() if e.source else None,
        "target": e.target.as_actor() if e.target else None,
        "status": e.status, "reported_by": e.reported_by.as_actor() if e.reported_by else None,
        "location": e.location, "when": e.when, "confidence": e.confidence,
    }


def output(rec: InputRecord, doc: Doc) -> dict:
    return {
        "id": rec.id,
        "outlet": rec.outlet or doc._.outlet,
        "date": rec.date.isoformat() if rec.date else None,
        "time": doc._.time or {"earliest": None, "latest": None, "basis": []},
        "mentions": [m.as_actor() for m in doc._.mentions if m.resolved and not m.modifier],
        "events": [event_dict(doc, e) for e in doc._.events],
        "quotes": [q if isinstance(q, dict) else q.as_dict() for q in doc._.quotes],
        "warnings": list(doc._.warnings),
    }
