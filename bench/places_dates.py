"""Where and when: score each event's ``location`` and ``when`` on hand-written sentences.

    python bench/places_dates.py            # table to stdout, details to bench/out/places_dates.json

The set, bench/data/places_dates.jsonl, is one sentence a line, written for tidings:
{"id", "text", "date" (article date or null), "place": {"name", "country"} | null, "when":
{"earliest", "latest"} | null, "place_kind", "date_kind"}. ``place_kind`` is "place" (the sentence says
where the event happened), "none" (no place at all) or "actor" (a place name is only an actor or an
origin: "Moscow rejected the plan", "troops from Chad"); ``date_kind`` names the date expression.

Conventions of the expected windows (every window is inclusive, dates are days):
  - "today" = the article date; "yesterday" = the day before.
  - "on Wednesday" (any weekday) = the most recent such day on or before the article date (the article
    date itself if it is that day); "last Friday" = the same but strictly before the article date;
    "next Monday" = the first such day strictly after the article date.
  - "last week" = Monday to Sunday of the week before the article date's week; "this week" = Monday of
    the article date's week to the article date.
  - "last month" / "last year" = the whole previous calendar month / year; "this month" ("earlier this
    month") = the first of the article date's month to the article date.
  - "N days/weeks/months/years ago" ("a"/"an" = 1) = a window centred N units before the article date,
    with half a unit of slack either way, the end capped at the article date. Units in days: day 1,
    week 7, month 30, year 365; half a unit is rounded down (day 0, week 3, month 15, year 182). So
    "three weeks ago" on 2023-10-26 = 2023-10-05 +- 3 days = 2023-10-02..2023-10-08.
  - "on 3 December" / "on December 3" = the most recent 3 December on or before the article date.
  - "in March" = the whole of the most recent March that began on or before the article date.
  - "in 2015" = the whole year; "in August 2020" = the whole month; "on 20 February 2021" and
    "on Saturday, January 23" = that day.
  - Without an article date, relative expressions (all of the above except full dates, "in 2015" and
    "in August 2020") are left unresolved: the expected ``when`` is null.
  - A sentence without a date expression expects ``when`` null.

Scoring. Each sentence is scored on one of its events, the best-matching one (place right first, then
date exact, then date overlapping). A predicted location is right when its ``name`` or ``text`` equals
the expected name (case- and accent-insensitive), or the expected name appears as words in the
predicted text, and the country agrees when both are given. Place: TP = right location; FP = a location
predicted where none is expected, or a wrong one (which is also a FN); FN = expected place not found.
Dates: "exact" = the predicted window equals the expected one (null = null counts); "overlap" = the two
windows share a day (or both are null). Sentences where tidings codes no event cannot be scored: they
are counted and left out of every denominator.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "places_dates.jsonl"
OUT = ROOT / "bench" / "out"


def fold(text: str | None) -> str:
    """Lower-case, accents removed, spaces squeezed: 'Kyïv ' -> 'kyiv'."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def place_right(pred: dict | None, gold: dict | None) -> bool:
    """Whether a predicted Place matches the expected {"name", "country"} (both must be non-null)."""
    if not pred or not gold:
        return False
    name = fold(gold["name"])
    ptext = fold(pred.get("text"))
    named = (fold(pred.get("name")) == name or ptext == name
             or re.search(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])", ptext) is not None)
    pc, gc = pred.get("country"), gold.get("country")
    return named and (not pc or not gc or pc == gc)


def _days(when: dict | None) -> tuple[str, str] | None:
    if not when or not when.get("earliest") or not when.get("latest"):
        return None
    return when["earliest"], when["latest"]


def date_exact(pred: dict | None, gold: dict | None) -> bool:
    return _days(pred) == _days(gold)


def date_overlap(pred: dict | None, gold: dict | None) -> bool:
    p, g = _days(pred), _days(gold)
    if p is None or g is None:
        return p is None and g is None
    return p[0] <= g[1] and g[0] <= p[1]        # ISO dates compare as strings


def place_ok(pred: dict | None, gold: dict | None) -> bool:
    return pred is None if gold is None else place_right(pred, gold)


def best_event(events: list[dict], row: dict) -> dict:
    return max(events, key=lambda e: (place_ok(e.get("location"), row["place"]),
                                      date_exact(e.get("when"), row["when"]),
                                      date_overlap(e.get("when"), row["when"])))


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def code(rows: list[dict]) -> list[dict]:
    import tidings
    out = []
    for res in tidings.code_records({"id": r["id"], "text": r["text"], "date": r["date"]} for r in rows):
        out.append(res if isinstance(res, dict) else {"events": [], "error": res.as_dict()})
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def score(rows: list[dict], results: list[dict]) -> dict:
    """Figures and per-sentence details for coded ``results`` (contract records, in ``rows`` order)."""
    tp = fp = fn = 0
    exact = overlap = 0
    no_events: list[str] = []
    by_place: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])   # n, tp, fp, fn
    by_date: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])      # n, exact, overlap
    details = []
    for row, res in zip(rows, results, strict=True):
        events = res.get("events") or []
        if not events:
            no_events.append(row["id"])
            details.append({"id": row["id"], "text": row["text"], "events": 0})
            continue
        ev = best_event(events, row)
        loc, when, gold = ev.get("location"), ev.get("when"), row["place"]
        right = place_right(loc, gold)
        s_tp = int(right)
        s_fp = int(loc is not None and not right)
        s_fn = int(gold is not None and not right)
        tp, fp, fn = tp + s_tp, fp + s_fp, fn + s_fn
        bp = by_place[row.get("place_kind", "place" if gold else "none")]
        bp[0] += 1; bp[1] += s_tp; bp[2] += s_fp; bp[3] += s_fn
        ex, ov = date_exact(when, row["when"]), date_overlap(when, row["when"])
        exact, overlap = exact + ex, overlap + ov
        dk = row.get("date_kind", "?") + (" (no article date)" if row["date"] is None else "")
        bd = by_date[dk]
        bd[0] += 1; bd[1] += ex; bd[2] += ov
        details.append({"id": row["id"], "text": row["text"], "events": len(events),
                        "trigger": ev["trigger"]["text"], "place": row["place"],
                        "pred_place": loc and {k: loc.get(k) for k in ("text", "name", "country")},
                        "place_ok": place_ok(loc, gold), "when": row["when"], "pred_when": when,
                        "date_exact": ex, "date_overlap": ov})
    n = len(rows)
    scored = n - len(no_events)
    return {"sentences": n, "without_events": len(no_events), "no_event_ids": no_events, "scored": scored,
            "places": _prf(tp, fp, fn),
            "dates": {"exact": round(exact / scored, 3) if scored else 0.0,
                      "overlap": round(overlap / scored, 3) if scored else 0.0},
            "by_place_kind": {k: dict(zip(("n", "tp", "fp", "fn"), v)) for k, v in sorted(by_place.items())},
            "by_date_kind": {k: dict(zip(("n", "exact", "overlap"), v)) for k, v in sorted(by_date.items())},
            "details": details}


def evaluate(path: Path = DATA) -> dict:
    """Code the set and score it: the core of the bench (and of tests/test_places_dates.py)."""
    rows = load(path)
    return score(rows, code(rows))


def headline(s: dict) -> str:
    return (f"places F1 {s['places']['f1']:.3f} dates exact {s['dates']['exact']:.3f} "
            f"overlap {s['dates']['overlap']:.3f} ({s['sentences']} sentences, {s['without_events']} without events)")


def report(s: dict) -> str:
    lines = [f"{'place kind':<32}{'n':>5}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for k, v in s["by_place_kind"].items():
        lines.append(f"{k:<32}{v['n']:>5}{v['tp']:>5}{v['fp']:>5}{v['fn']:>5}")
    p = s["places"]
    lines.append(f"{'places':<32}P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}")
    lines.append("")
    lines.append(f"{'date kind':<32}{'n':>5}{'exact':>7}{'overlap':>9}")
    for k, v in s["by_date_kind"].items():
        lines.append(f"{k:<32}{v['n']:>5}{v['exact']:>7}{v['overlap']:>9}")
    lines.append(f"{'dates':<32}exact {s['dates']['exact']:.3f}  overlap {s['dates']['overlap']:.3f}")
    lines.append("")
    if s["no_event_ids"]:
        lines.append(f"without events ({s['without_events']}): " + " ".join(s["no_event_ids"]))
    lines.append(headline(s))
    return "\n".join(lines)


def main(argv: list[str]) -> dict:
    s = evaluate(Path(argv[0]) if argv else DATA)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "places_dates.json").write_text(json.dumps(s, indent=2, ensure_ascii=False), encoding="utf-8")
    print(report(s))
    return s


if __name__ == "__main__":
    main(sys.argv[1:])
