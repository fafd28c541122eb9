"""One event, many reports: events from different articles that report the same real-world event.

Two events are reports of one event when they have the same dyad and type (the *block* is the source
country and the PLOVER type; the targets must be the same country, or one of them unknown: "Russia
pounded Kharkiv" has no target actor but reports the same attack as "Russia shelled Kharkiv in
Ukraine"; a cluster never holds two different known targets), their dates are close (the event's own
``when``, else the article's date and the day before), and their sentences say the same thing:

- a weighted Jaccard similarity of the sentences' content-word stems (stop words, day and month names
  and the dyad's own names left out), each stem weighted by its rarity among the sentences clustered
  together (inverse document frequency, floored at 1);
- plus a little for the same trigger, plus or minus a little when they name the same or different
  towns (gazetteer lookups of capitalised words: "Kharkiv" vs "Mykolaiv" on the same day).

Clusters are grown by average linkage, strongest links first: two clusters merge only when their
reports are linked on average above the threshold, so one chance resemblance cannot chain two attacks.
No embedding model: synonyms ("invaded" / "attacked") are the main source of missed pairs.

A cluster's id is a hash of its smallest member event id (re-clustering the same events gives the same
ids). ``first_seen`` is the earliest date of an article reporting it; ``articles`` and ``outlets`` count
the distinct articles and known outlets (GDELT's NumArticles and NumSources).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

__all__ = ["Report", "block_key", "cluster_block", "pairwise", "summary", "update"]

# Thresholds set on tests/fixtures/corpus/one_story.jsonl (dev) and checked on one_story_holdout.jsonl;
# bench/corpus_clusters.py prints pairwise precision/recall for other values (see docs/corpus.md).
MAX_GAP_DAYS = 1        # reports of one event: date intervals at most a day apart (0 lost dev recall;
                        # 2 and 3 scored the same as 1)
REPORT_LAG_DAYS = 1     # an event with no date of its own happened on its article's day or the day before
LINK_THRESHOLD = 0.10   # link score (weighted Jaccard + bonuses) from which two reports are linked, and
                        # the least average link between two clusters that merge: best dev F1 (P 1.0,
                        # R 0.891; 0.15 gave R 0.764, 0.2 gave R 0.709, P 1.0 both)
TRIGGER_BONUS = 0.05    # same trigger stem ("shelled" / "shelling")
PLACE_BONUS = 0.15      # the two sentences name the same town or city
PLACE_PENALTY = 0.15    # they name towns or cities, but not the same ones
DYAD_CAPITALS_ARE_ACTORS = True   # "Riyadh and Tehran agreed": the dyad's capitals are compared as places
                                  # only after "in", "at"... (dev F1 0.942; 0.880 taking them as places)
STEM = 6                # word stems: the first 6 letters ("civilians"/"civilian", "shelled"/"shelling")
MAX_SENTENCE = 600      # characters of a sentence searched for place names
MAX_WORDS = 60          # sentence words compared (a run-on "sentence" of a junk page is cut here)
# spaCy's stop words include number words, but "nine civilians" vs "eleven" tells two attacks apart
NUMBER_WORDS = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                          "eleven", "twelve", "fifteen", "twenty", "forty", "fifty", "sixty", "hundred", "first",
                          "second", "third"])
DATE_WORDS = frozenset(w[:STEM] for w in [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "today", "yesterday"])
REPORTING_WORDS = frozenset(["said", "says", "according", "reported", "told", "officials", "news"])  # any report
LOCATIVE = frozenset(["in", "at", "near", "outside", "inside"])   # "talks in Moscow": Moscow is a place
BLOCK_CHUNK = 500       # blocks re-clustered per transaction


@dataclass
class Report:
    """One event as clustering sees it."""

    event_id: str
    article_id: str
    outlet: str | None
    article_date: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    trigger: str
    sentence: str
    place: str | None = None
    target: str | None = None       # target country (or code); None when the report names no target
    source: str | None = None       # source country (or code)


def block_key(source: dict | None, plover: str | None, cameo: str) -> str:
    """Events can only be reports of one event within a block: same source (country) and type."""
    return f"{side(source) or '-'}|{plover or 'cameo' + cameo[:2]}"


def side(actor: dict | None) -> str | None:
    """An actor as a dyad side: its country (or code, for actors with none); None if unknown."""
    actor = actor or {}
    return actor.get("country") or actor.get("code") or None


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS - NUMBER_WORDS) | REPORTING_WORDS


def stems(text: str) -> frozenset[str]:
    words = re.findall(r"[^\W_]+", text.casefold())[:MAX_WORDS]
    return frozenset(w[:STEM] for w in words if w not in _stop_words() and (len(w) > 2 or w.isdigit()))


@cache
def actor_words(side: str | None) -> frozenset[str]:
    """Stems of a country's names, demonyms and seats of government ("russia", "kremli"): every
    report of a block says them, so they tell nothing about which event it is."""
    if not side:
        return frozenset()
    from .kb import default_kb
    country = default_kb().countries.get(side)
    if country is None:
        return frozenset()
    names = (country.name, *country.aliases, *country.demonyms, *country.seats)   # not the capital: "talks
                                                                                # in Moscow" is a place
    return frozenset(w[:STEM] for name in names for w in re.findall(r"[^\W_]+", name.casefold()))


def content_words(r: Report) -> frozenset[str]:
    """The stems compared: the sentence's, less the dyad's own names and the days and months (dates
    are compared as dates)."""
    return stems(r.sentence) - actor_words(r.source) - actor_words(r.target) - DATE_WORDS


def places(r: Report) -> frozenset[str]:
    """The towns and cities the sentence names (capitalised words found in the gazetteer with
    coordinates; countries are the dyad's business), plus the event's location. A dyad's capital counts
    only after a locative preposition: "talks in Moscow" is a place, "Riyadh and Tehran agreed" names
    the actors."""
    from .geo import default_gazetteer
    gazetteer = default_gazetteer()
    actors = capitals(r.source) | capitals(r.target) if DYAD_CAPITALS_ARE_ACTORS else frozenset()
    found = {r.place} if r.place else set()
    for m in re.finditer(r"(\w+\s+)?\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)", r.sentence[:MAX_SENTENCE]):
        word, before = m.group(2), (m.group(1) or "").strip().casefold()
        hit = gazetteer.lookup(word) or gazetteer.lookup(word.split()[0])
        if hit is not None and hit.lat is not None and (hit.name not in actors or before in LOCATIVE):
            found.add(hit.name)
    return frozenset(found)


@cache
def capitals(side: str | None) -> frozenset[str]:
    from .kb import default_kb
    country = default_kb().countries.get(side or "")
    return frozenset((country.capital, *country.capital_aliases)) if country else frozenset()


def interval(r: Report) -> tuple[dt.date, dt.date] | None:
    """When the reported event can have happened: its own dates, else its article's day or the day before."""
    if r.earliest:
        return r.earliest, r.latest or r.earliest
    if r.article_date:
        return r.article_date - dt.timedelta(days=REPORT_LAG_DAYS), r.article_date
    return None


def close_in_time(a: Report, b: Report) -> bool:
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return True
    gap = max((ib[0] - ia[1]).days, (ia[0] - ib[1]).days, 0)
    return gap <= MAX_GAP_DAYS


def similarity(a: frozenset[str], b: frozenset[str], weight: dict[str, float]) -> float:
    union = a | b
    if not union:
        return 0.0
    return sum(weight.get(w, 1.0) for w in a & b) / sum(weight.get(w, 1.0) for w in union)


def link_score(a: Report, b: Report, wa: frozenset[str], wb: frozenset[str], weight: dict[str, float],
               pa: frozenset[str] = frozenset(), pb: frozenset[str] = frozenset()) -> float:
    """Weighted Jaccard of the content words, + same trigger, +/- same or different places named."""
    score = similarity(wa, wb, weight)
    if a.trigger and a.trigger[:STEM].casefold() == b.trigger[:STEM].casefold():
        score += TRIGGER_BONUS
    if pa and pb:
        score += PLACE_BONUS if pa & pb else -PLACE_PENALTY
    return score


def idf(bags: list[frozenset[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each stem among the sentences given (all the blocks
    clustered together), floored at 1 so that in a small store every word counts about the same."""
    df = Counter(w for bag in bags for w in bag)
    n = len(bags)
    return {w: 1.0 + math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def cluster_block(reports: list[Report], weight: dict[str, float] | None = None) -> list[list[Report]]:
    """Group one block's reports into clusters (each a list of reports, earliest first): average-linkage
    agglomeration, strongest links first, a merge only when the two clusters' reports are on average
    linked above the threshold (one chance resemblance cannot chain two attacks together). ``weight``:
    stem weights (default: idf over these reports)."""
    bags = [content_words(r) for r in reports]
    weight = weight if weight is not None else idf(bags)
    scores = _pair_scores(reports, bags, weight, [places(r) for r in reports])
    parent = list(range(len(reports)))
    members = {i: [i] for i in range(len(reports))}
    targets = [{r.target} - {None} for r in reports]     # known targets of each root's cluster

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if score < LINK_THRESHOLD:
            break
        a, b = root(i), root(j)
        if a == b or len(targets[a] | targets[b]) > 1:
            continue
        pairs = [scores.get((min(x, y), max(x, y)), 0.0) for x in members[a] for y in members[b]]
        if sum(pairs) / len(pairs) >= LINK_THRESHOLD:
            parent[b] = a
            members[a] += members.pop(b)
            targets[a] |= targets[b]
    order = sorted(range(len(reports)), key=lambda i: (interval(reports[i]) or (dt.date.min,))[0])
    groups: dict[int, list[Report]] = {}
    for i in order:
        groups.setdefault(root(i), []).append(reports[i])
    return list(groups.values())


def _pair_scores(reports: list[Report], bags: list[frozenset[str]], weight: dict[str, float],
                 where: list[frozenset[str]]) -> dict:
    """Link scores of the pairs close in time ((i, j) with i < j), walking reports in date order."""
    order = sorted(range(len(reports)), key=lambda i: (interval(reports[i]) or (dt.date.min,))[0])
    scores = {}
    for pos, i in enumerate(order):
        for j in order[pos + 1:]:
            if not close_in_time(reports[i], reports[j]):
                if _starts_after(reports[j], reports[i]):
                    break                   # sorted by start: nothing later can be close to i
                continue
            scores[(min(i, j), max(i, j))] = link_score(reports[i], reports[j], bags[i], bags[j], weight,
                                                        where[i], where[j])
    return scores


def _starts_after(later: Report, r: Report) -> bool:
    a, b = interval(later), interval(r)
    return a is not None and b is not None and (a[0] - b[1]).days > MAX_GAP_DAYS


def pairwise(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Pairwise precision and recall of a clustering: over pairs of the events in ``gold`` (event ->
    true label), how many predicted together are truly together, and how many truly together were found."""
    ids = sorted(gold)
    together = truly = both = 0
    for x in range(len(ids)):
        for y in range(x + 1, len(ids)):
            same_pred = predicted.get(ids[x]) is not None and predicted.get(ids[x]) == predicted.get(ids[y])
            same_gold = gold[ids[x]] == gold[ids[y]]
            together += same_pred
            truly += same_gold
            both += same_pred and same_gold
    return {"precision": both / together if together else 1.0, "recall": both / truly if truly else 1.0,
            "events": len(ids), "gold_pairs": truly, "predicted_pairs": together}


def cluster_id(members: Iterable[Report]) -> str:
    first = min(r.event_id for r in members)
    return "c" + hashlib.blake2b(first.encode("utf-8"), digest_size=8).hexdigest()


def summary(members: list[Report]) -> dict:
    """first_seen (earliest article date, else event date), last_seen, and distinct articles / outlets."""
    days = [r.article_date for r in members if r.article_date] or [r.earliest for r in members if r.earliest]
    outlets = {r.outlet.casefold() for r in members if r.outlet}
    return {"cluster_id": cluster_id(members), "first_seen": min(days) if days else None,
            "last_seen": max(days) if days else None, "articles": len({r.article_id for r in members}),
            "outlets": len(outlets), "events": len(members)}


def update(store, everything: bool = False) -> int:
    """Re-cluster the blocks that have unclustered events (all blocks with ``everything``); returns the
    number of blocks done. Each chunk of blocks is rewritten in one transaction."""
    where = "" if everything else " WHERE cluster_id IS NULL"
    blocks = [r[0] for r in store.con.execute(f"SELECT DISTINCT block FROM events{where} ORDER BY 1").fetchall()]
    for start in range(0, len(blocks), BLOCK_CHUNK):
        chunk = blocks[start:start + BLOCK_CHUNK]
        reports: dict[str, list[Report]] = {}
        for row in store.block_reports(chunk):
            reports.setdefault(row.pop("block"), []).append(Report(**row))
        assignments, clusters = [], []
        weight = idf([content_words(r) for members in reports.values() for r in members])
        for block, members in reports.items():
            for group in cluster_block(members, weight):
                info = summary(group)
                clusters.append({**info, "block": block})
                assignments += [{"event_id": r.event_id, "cluster_id": info["cluster_id"]} for r in group]
        store.save_clusters(chunk, assignments, clusters)
    return len(blocks)
