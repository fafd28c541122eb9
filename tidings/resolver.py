"""Actor resolution for short texts (``tidings resolve``) and person-readable answers (``tidings actor``).

A query ("US Senator Marco Rubio", "the Mongolian President", "soldiers") is run through the same
actor stage as articles; the main mention is the one that covers most of the query, and a country
named anywhere in it ("targets in Syria") fills in a missing country.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import cache

from .actors import QUERY_FLAG
from .dates import resolve as resolve_date
from .errors import RecordError
from .kb import KnowledgeBase, Person, default_kb
from .record import parse_date

FIELDS = ("name", "kb_id", "country", "sector", "code")


def query_date(value: object) -> dt.date | None:
    """Dates as queries give them: ISO, "Today", "1 January 2018"."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.lower() in {"today", "now"}:
        return dt.date.today()
    try:
        return parse_date(text)
    except RecordError:
        win = resolve_date(text, None)
        return win[0] if win else None


def resolve_one(text: str, date: dt.date | None = None) -> dict:
    """{name, kb_id, country, sector, code} of the actor a short text names (nulls where unknown)."""
    from . import nlp as nlp_mod
    nlp = nlp_mod.load()
    doc = nlp.make_doc(text)
    doc._.date = date
    doc.user_data[QUERY_FLAG] = True
    for _, proc in nlp.pipeline:
        doc = proc(doc)
        if _ == "tidings_actors":
            break
    return _main(doc)


def resolve_spelling(text: str, date: dt.date | None = None) -> dict:
    """``resolve_one``, and if nothing resolves, again with each unknown word of five letters or more
    replaced by the closest word the knowledge base knows ("Kazahks" -> Kazakhs, "supremicists" ->
    supremacists), then with the closest multi-word name."""
    out = resolve_one(text, date)
    if out["code"]:
        return out
    fixed = " ".join(_closest_word(w) for w in text.split())
    if fixed != text:
        out = resolve_one(fixed, date)
    name = _closest_name(text)
    return resolve_one(name, date) if not out["code"] and name else out


def _closest_name(text: str) -> str | None:
    """A multi-word name spelt another way ("Ahlu Sunnah Wa-Jama" for Ahlu Sunna Wal Jama'a)."""
    import difflib
    key = text.strip().lower()
    if len(key) < 8 or " " not in key:
        return None
    hit = difflib.get_close_matches(key, list(_names()), n=1, cutoff=SPELLING_CUTOFF)
    return _names()[hit[0]] if hit else None


@cache
def _names() -> dict[str, str]:
    """Multi-word names of KB organisations and persons, lower case -> as written."""
    return {p.lower(): p for p, e in default_kb().phrases() if e.kind in {"org", "person"} and " " in p}


SPELLING_CUTOFF = 0.85          # difflib ratio: one or two letters wrong in a word of 7 or more


def _closest_word(word: str) -> str:
    import difflib
    core = word.strip(".,;:'\"()")
    if len(core) < 5 or not core.isalpha() or core.lower() in _vocabulary():
        return word
    hit = difflib.get_close_matches(core.lower(), _vocabulary(), n=1, cutoff=SPELLING_CUTOFF)
    return word.replace(core, hit[0].capitalize() if core[0].isupper() else hit[0]) if hit else word


@cache
def _vocabulary() -> list[str]:
    """Every word of every KB phrase (names, demonyms, agents), lower case."""
    words = {w.lower() for phrase, _ in default_kb().phrases() for w in phrase.split() if w.isalpha()}
    return sorted(words)


PLACE_MENTIONS = {"country", "capital", "region"}


def _main(doc) -> dict:
    mentions = [m for m in doc._.mentions if m.resolved]
    place = _whole_place(doc)
    if not mentions:                           # a place the actor stage does not list: its country
        country = _any_country(doc) or (place.country if place else None)
        return {k: None for k in FIELDS} | {"country": country, "code": country, "name": place.name if place else None}
    main = max(mentions, key=lambda m: (m.end - m.start, m.kb_id is not None, not m.modifier, -m.start))
    out = {k: getattr(main, k) or None for k in FIELDS}
    if out["name"] is None and main.kind in PLACE_MENTIONS and place is not None:
        out["name"] = place.name               # "Brasilia" -> Brasília
    if out["country"] is None:
        out["country"] = next((m.country for m in mentions if m.country), None) or _any_country(doc)
        if out["country"] and out["sector"]:
            out["code"] = out["country"] + out["sector"]
    return out


def _whole_place(doc):
    """The gazetteer's place for the whole query ("Puerto Penasco", "the Idlib province"), if any."""
    from .geo import default_gazetteer
    text = doc.text.strip()
    text = text[4:] if text.lower().startswith("the ") else text
    return default_gazetteer().lookup(text) if text[:1].isupper() else None


def _any_country(doc) -> str | None:
    """A country named as a place in the query ("targets in Syria")."""
    from .geo import default_gazetteer
    for ent in doc.ents:
        if ent.label_ in {"GPE", "LOC"}:
            hit = default_gazetteer().lookup(ent.text)
            if hit is not None and hit.country:
                return hit.country
    return None


def with_context(out: dict, context: object, day: dt.date | None) -> dict:
    """Fill a missing country from the query's context (a country, demonym or place name)."""
    if out["country"] or not isinstance(context, str) or not context.strip():
        return out
    country = resolve_one(context, day)["country"]
    if country is None:
        return out
    return out | {"country": country, "code": country + (out["sector"] or "")}


def resolve_records(rows: Iterable[dict]) -> Iterator[dict]:
    """``tidings resolve``: {"id", "text", "date"?, "context"?} in, {"id", name, kb_id, country, sector,
    code} out. A query without a date is resolved as of today (a former office-holder is ELI); a
    ``context`` text ("Saudi", "Mexico") gives the country when the query itself names none."""
    for row in rows:
        try:
            day = query_date(row.get("date")) or dt.date.today()
            text = row.get("text")
            if not isinstance(text, str) or not text.strip():
                raise RecordError("E102", row.get("id"))
            yield {"id": row.get("id")} | with_context(resolve_spelling(text, day), row.get("context"), day)
        except RecordError as e:
            yield {"id": row.get("id")} | {k: None for k in FIELDS} | {"error": e.as_dict()["error"]}


def describe(name: str, date: dt.date | None = None, kb: KnowledgeBase | None = None) -> str:
    """A person-readable account of who a name is, with their roles (marked at ``date``)."""
    kb = kb or default_kb()
    people = find_persons(kb, name)
    if not people:
        res = resolve_one(name, date)
        if not res["code"]:
            return f"{name}: not in the knowledge base"
        return f"{name}: {res['code']} (country {res['country'] or '?'}, sector {res['sector'] or '?'})"
    return "\n\n".join(_describe_person(p, date) for p in people)


def find_persons(kb: KnowledgeBase, name: str) -> list[Person]:
    key = name.strip().lower()
    return [p for p in kb.persons.values() if key == p.name.lower() or key in (a.lower() for a in p.aliases)]


def _describe_person(p: Person, date: dt.date | None) -> str:
    lines = [f"{p.name}  [{p.kb_id}]"]
    if p.aliases:
        lines.append("  also: " + ", ".join(p.aliases[:8]))
    for r in sorted(p.roles, key=lambda r: r.start or dt.date.min):
        mark = ""
        if date is not None:
            mark = "  <- on " + date.isoformat() if r.active_on(date) else ""
        lines.append(f"  {r.country}{r.sector:<4} {r.title:<34} {r.term()}{' (uncertain)' if r.uncertain else ''}{mark}")
    if date is not None and not any(r.active_on(date) for r in p.roles):
        lines.append(f"  held none of these roles on {date.isoformat()}")
    return "\n".join(lines)
