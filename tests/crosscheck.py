"""Cross-check of our persons against PETRARCH's Phoenix dictionaries (used by tests/test_kb_crosscheck.py).

A person is matched when our canonical name (or a full-name alias of two or more words) equals a
Phoenix actor name or synonym, case-, accent- and punctuation-insensitively.
- country: at least one of our roles' countries must be among Phoenix's codes' countries;
- start dates: each of our HOS/HOG/FM/DM roles whose country and sector Phoenix also codes for the
  person with a start within 400 days must have a Phoenix start within 7 days of ours.
Phoenix's dated codes come from CountryInfo, which (a) rounds most dates to the first of a month and
(b) starts in 2003, opening every holder then in office on 2003-01-01. So a Phoenix start on the 1st of
a month agrees with ours within 45 days, and a Phoenix start of 2003-01-01 agrees with any earlier start.
A disagreement is explained when a `#` comment line directly above our row (or the person's first
row) mentions Phoenix.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

NEAR = 400          # days: a Phoenix code this close is about the same office
PHOENIX_COUNTRY = {"KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "SUD": "SDN"}   # Phoenix's older codes
AGREE = 7           # days: the tolerance for role start dates
MONTH_ROUNDED = 45  # days: tolerance for Phoenix dates rounded to the first of a month
OFFICES = {"HOS", "HOG", "FM", "DM"}


def norm(name: str) -> str:
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]+", " ", name.lower().replace("_", " ")).split().__str__()


def our_rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        comments: list[str] = []
        header = None
        first_comment: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                comments.append(line)
                continue
            if not line.strip():
                continue
            cells = line.split("\t")
            if header is None:
                header, comments = cells, []
                continue
            row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
            note = " ".join(comments)
            first_comment.setdefault(row["kb_id"], note)
            row["explained"] = "phoenix" in (note + " " + first_comment[row["kb_id"]]).lower()
            row["where"] = f"{path.name}"
            rows.append(row)
            comments = []
    return rows


def phoenix_index(path: Path) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        actor = json.loads(line)
        for name in [actor["actor"], *actor.get("synonyms", [])]:
            if len(name.replace("_", " ").split()) >= 2:
                index[norm(name)].append(actor)
    return index


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.rstrip("?")[:10]) if len(text.rstrip("?")) >= 10 else None
    except ValueError:
        return None


def disagreements(folder: Path, phoenix: Path) -> tuple[int, list[str], list[str]]:
    """(persons matched, unexplained disagreements, explained ones)."""
    rows = our_rows(folder)
    index = phoenix_index(phoenix)
    by_person: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_person[r["kb_id"]].append(r)
    matched, bad, ok = 0, [], []
    for kb_id, prow in by_person.items():
        names = [prow[0]["name"]] + [a for a in prow[0]["aliases"].split("|") if len(a.split()) >= 2]
        actors = next((index[norm(n)] for n in names if norm(n) in index), None)
        if not actors:
            continue
        matched += 1
        codes = [c | {"code": PHOENIX_COUNTRY.get(c["code"][:3], c["code"][:3]) + c["code"][3:]}
                 for a in actors for c in a.get("codes", [])]
        ours = {r["country"] for r in prow}
        if not ours & {c["code"][:3] for c in codes}:
            (ok if any(r["explained"] for r in prow) else bad).append(
                f"{prow[0]['where']}: {prow[0]['name']} country {sorted(ours)} vs Phoenix {sorted({c['code'][:3] for c in codes})}")
        starts = [d for r in prow if (d := _day(r["start"]))]
        for r in prow:
            msg = _start_disagreement(r, codes, starts)
            if msg:
                (ok if r["explained"] else bad).append(f"{r['where']}: {r['name']} {msg}")
    return matched, bad, ok


def _agrees(phoenix: dt.date, ours: dt.date) -> bool:
    if phoenix == dt.date(2003, 1, 1) and ours <= phoenix:
        return True
    tolerance = MONTH_ROUNDED if phoenix.day == 1 else AGREE
    return abs((phoenix - ours).days) <= tolerance


def _start_disagreement(row: dict, codes: list[dict], our_starts: list[dt.date]) -> str | None:
    """A Phoenix start for this office's country and sector, near our start, that none of the
    person's roles of ours starts within a week of (so it is not another office of theirs)."""
    start = _day(row["start"])
    if row["role"] not in OFFICES or start is None:
        return None
    near = [s for c in codes if c["code"][:3] == row["country"] and c["code"][3:6] == row["sector"]
            and (s := _day(c.get("start") or "")) and abs((s - start).days) <= NEAR
            and not any(_agrees(s, o) for o in our_starts)]
    if not near or any(_agrees(s, start) for s in near):
        return None
    return f"{row['title']} from {start} vs Phoenix {min(near, key=lambda s: abs((s - start).days))}"
