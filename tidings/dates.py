"""When each event happened: date expressions of its sentence ("on Wednesday", "three years ago",
"on 3 December", "last month") resolved against the article date into an {earliest, latest} window.
Without an article date, only expressions that name a full date ("3 December 2015") are resolved.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc

WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
Window = tuple[dt.date, dt.date]

AGO = re.compile(r"\b(\d+|a few|" + "|".join(NUMBERS) + r")\s+(day|week|month|year)s?\s+ago\b", re.I)
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
MONTH_YEAR = re.compile(r"\b(?:in\s+)?([A-Za-z]{3,9})\s+(\d{4})\b")
YEAR = re.compile(r"\bin\s+(\d{4})\b")
IN_MONTH = re.compile(r"\bin\s+([A-Za-z]{3,9})\b")
RELATIVE = re.compile(r"\b(today|tonight|yesterday|this week|last week|this month|last month|this year|"
                      r"last year|(?:last |on |this |next )?(?:monday|tuesday|wednesday|thursday|friday|"
                      r"saturday|sunday))\b", re.I)


def _month_window(year: int, month: int) -> Window:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _past_year(month: int, day: int | None, ref: dt.date) -> int:
    """The year of the most recent such month (and day) on or before ``ref`` (news reports the past)."""
    probe = dt.date(ref.year, month, min(day or 1, calendar.monthrange(ref.year, month)[1]))
    return ref.year if probe <= ref else ref.year - 1


def _relative(word: str, ref: dt.date) -> Window:
    w = word.lower()
    if w in {"today", "tonight"}:
        return ref, ref
    if w == "yesterday":
        d = ref - dt.timedelta(days=1)
        return d, d
    if w in {"this week"}:
        return ref - dt.timedelta(days=ref.weekday()), ref
    if w == "last week":
        start = ref - dt.timedelta(days=ref.weekday() + 7)
        return start, start + dt.timedelta(days=6)
    if w == "this month":
        return ref.replace(day=1), ref
    if w == "last month":
        prev = ref.replace(day=1) - dt.timedelta(days=1)
        return _month_window(prev.year, prev.month)
    if w == "this year":
        return dt.date(ref.year, 1, 1), ref
    if w == "last year":
        return dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31)
    return _weekday(w, ref)


def _weekday(phrase: str, ref: dt.date) -> Window:
    words = phrase.split()
    target = WEEKDAYS[words[-1]]
    if words[0] == "next":
        d = ref + dt.timedelta(days=(target - ref.weekday()) % 7 or 7)
    else:
        back = (ref.weekday() - target) % 7
        d = ref - dt.timedelta(days=back + (7 if words[0] == "last" and back == 0 else 0))
    return d, d


def _ago(n: str, unit: str, ref: dt.date) -> Window:
    count = int(n) if n.isdigit() else NUMBERS[n.lower()]
    span = UNIT_DAYS[unit.lower()]
    centre = ref - dt.timedelta(days=count * span)
    slack = dt.timedelta(days=max(span // 2, 0))
    return centre - slack, min(centre + slack, ref)


def _calendar_date(text: str, ref: dt.date | None) -> Window | None:
    for rx, order in ((DAY_MONTH, "dm"), (MONTH_DAY, "md")):
        for m in rx.finditer(text):
            day_s, mon_s = (m[1], m[2]) if order == "dm" else (m[2], m[1])
            month = MONTHS.get(mon_s.lower())
            if month is None or not 1 <= int(day_s) <= 31:
                continue
            year = int(m[3]) if m[3] else (_past_year(month, int(day_s), ref) if ref else None)
            if year is None:
                continue
            try:
                d = dt.date(year, month, int(day_s))
            except ValueError:
                continue
            return d, d
    return None


def resolve(text: str, ref: dt.date | None) -> Window | None:
    """The window of the first date expression in ``text``, against the reference date ``ref``."""
    found = _calendar_date(text, ref)
    if found:
        return found
    m = MONTH_YEAR.search(text)
    if m and MONTHS.get(m[1].lower()):
        return _month_window(int(m[2]), MONTHS[m[1].lower()])
    m = YEAR.search(text)
    if m:
        y = int(m[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if ref is None:
        return None
    m = AGO.search(text)
    if m:
        return _ago(m[1], m[2], ref)
    m = RELATIVE.search(text)
    if m:
        return _relative(m[1], ref)
    m = IN_MONTH.search(text)
    if m and MONTHS.get(m[1].lower()) and m[1][0].isupper():
        month = MONTHS[m[1].lower()]
        return _month_window(_past_year(month, None, ref), month)
    return None


def _sentence_dates(doc: Doc, sent) -> str:
    """The date expressions of a sentence (spaCy DATE entities), joined; the sentence if there are none
    found by the tagger but a weekday is written."""
    parts = []
    for e in sent.ents:
        if e.label_ in {"DATE", "TIME"}:
            prev = doc[e.start - 1].text + " " if e.start > 0 and doc[e.start - 1].pos_ == "ADP" else ""
            parts.append(prev + e.text)          # "in 2016", "in March": the preposition matters
    return " ; ".join(parts)


@Language.factory("tidings_dates")
class DateStage:
    """Sets each event's ``when`` from the date expressions of its sentence."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        cache: dict[int, Window | None] = {}
        for e in doc._.events:
            sent = doc[e.head].sent
            if sent.start not in cache:
                text = _sentence_dates(doc, sent)
                cache[sent.start] = resolve(text, doc._.date) if text else None
            win = cache[sent.start]
            if win is not None:
                e.when = {"earliest": win[0].isoformat(), "latest": win[1].isoformat()}
        return doc
