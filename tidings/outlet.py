"""Outlet and dateline detection: "(DEA News)" tags, "MINSK, Dec 3 (Reuters) -", "— AP".

Such tags are metadata, not text to code: the component records the outlet and marks the tags'
character ranges in ``doc._.meta_spans`` so that later stages skip them.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

NAME = r"[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}"
# "(DEA News)" at the end of a paragraph
TRAILING_TAG = re.compile(rf"\(\s*({NAME})\s*\)[ \t]*$", re.M)
# "MINSK, Dec 3 (Reuters) -" or "KYIV (AP) —" at the start of a paragraph
DATELINE = re.compile(
    rf"^[ \t]*((?:[A-Z][A-Z.'’-]+)(?: [A-Z][A-Z.'’-]+){{0,3}})(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+\d{{1,2}})?(?:,[ \t]*\d{{4}})?)?"
    rf"[ \t]*\(\s*({NAME})\s*\)[ \t]*[-–—]+[ \t]*", re.M)
# "— AP" or "-- Reuters" alone at the end of the text
SIGN_OFF = re.compile(rf"[ \t]*[–—]+[ \t]*({NAME})[ \t]*\Z")
# Parenthesised words that are not outlets
NOT_OUTLET = {"AP Photo", "File", "Photo", "Video", "Update", "Updated", "Opinion", "Analysis"}


def find_meta(text: str) -> tuple[str | None, list[tuple[int, int]], tuple[int, int] | None]:
    """(outlet, meta character ranges, dateline place range) found in ``text``."""
    names: Counter[str] = Counter()
    spans: list[tuple[int, int]] = []
    place = None
    for m in DATELINE.finditer(text):
        names[m.group(2)] += 2
        spans.append((m.start(), m.end()))
        place = place or (m.start(1), m.end(1))
    for m in TRAILING_TAG.finditer(text):
        if m.group(1) not in NOT_OUTLET:
            names[m.group(1)] += 1
            spans.append((m.start(), m.end()))
    m = SIGN_OFF.search(text)
    if m and len(text) > 200:
        names[m.group(1)] += 1
        spans.append((m.start(), m.end()))
    outlet = names.most_common(1)[0][0] if names else None
    return outlet, sorted(spans), place


@Language.factory("tidings_outlet")
class OutletDetector:
    """Sets ``doc._.outlet`` (unless the input gave one) and ``doc._.meta_spans``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        outlet, spans, place = find_meta(doc.text)
        doc._.meta_spans = spans
        doc._.dateline_place = place
        if not doc._.outlet:
            doc._.outlet = outlet
        return doc
