"""Time: when the reported events can have happened, and warnings for office-holders out of term.

With no article date, the window is the intersection of the terms of the roles the text names with a
title ("President Petro Poroshenko" -> 2014-06-07 to 2019-05-20). With a date, the window ends on it,
and a titled office-holder named outside their term gives warning W001.
"""
from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from .actors import Mention
from .errors import warning_text


def role_window(mentions: list[Mention]) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """Intersect the terms of titled roles; roles that would empty the window are reported, not used."""
    earliest, latest, basis = None, None, []
    seen = set()
    for m in mentions:
        if not m.cued or not m.roles or (m.kb_id, m.roles) in seen:
            continue
        seen.add((m.kb_id, m.roles))
        lo = min((r.start for r in m.roles if r.start), default=None)
        his = [r.last_day for r in m.roles]
        hi = None if any(h is None for h in his) else max(his)
        new_lo = max(filter(None, (earliest, lo)), default=None)
        new_hi = min(filter(None, (latest, hi)), default=None)
        if new_lo and new_hi and new_lo > new_hi:
            continue
        earliest, latest = new_lo, new_hi
        r = m.roles[0]
        basis.append(f"{m.name} as {r.title} ({r.country}) {r.term()}")
    return earliest, latest, basis


def out_of_term(m: Mention, day: dt.date) -> str | None:
    if not m.cued or not m.roles or any(r.active_on(day) for r in m.roles):
        return None
    r = m.roles[0]
    return warning_text("W001", name=m.name, title=r.title, country=r.country, term=r.term(),
                        date=day.isoformat())


@Language.factory("tidings_time")
class TimeStage:
    """Sets ``doc._.time`` ({earliest, latest, basis}) and adds out-of-term warnings."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        day = doc._.date
        lo, hi, basis = role_window(doc._.mentions)
        warnings = list(doc._.warnings)
        if day is not None:
            for m in doc._.mentions:
                w = out_of_term(m, day)
                if w and w not in warnings:
                    warnings.append(w)
            hi, basis = day, ["article date"] + basis
            if lo and lo > day:
                lo = None
        doc._.time = {"earliest": lo.isoformat() if lo else None, "latest": hi.isoformat() if hi else None,
                      "basis": basis}
        doc._.warnings = warnings
        return doc
