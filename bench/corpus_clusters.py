"""Pairwise precision and recall of event clustering (one event, many reports) on the stories we wrote.

    python bench/corpus_clusters.py              # dev set + held-out set, then a threshold sweep
    python bench/corpus_clusters.py --no-sweep

Each fixture line is an article with its ``story`` (the real-world event it reports) and ``gold``: the
story's dyad and type. An event is labelled with its article's story (and its source, the direction)
when its source is one side of the gold dyad, its target the other side or unknown, and its type the
gold type; the other events (side events, coder misses) are left out of the scores, and "coverage" says
how many articles gave at least one labelled event. Pairwise: over all pairs of labelled events,
precision = pairs clustered together that share a story / pairs clustered together; recall = pairs that
share a story and were clustered together / pairs that share a story. The baseline is exact matching
(same source, target, type and event date), roughly what GDELT-style de-duplication does.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"
SWEEP_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
SWEEP_GAPS = (0, 1, 2, 3)
SETS = {"dev": FIXTURES / "one_story.jsonl", "holdout": FIXTURES / "one_story_holdout.jsonl"}


def build_store(path: Path, fixture: Path, workers: int = 2):
    """A store with the fixture ingested, coded and clustered."""
    from tidings.ingest import ingest
    from tidings.scale import run
    from tidings.store import Store
    store = Store(path)
    ingest([str(fixture)], store)
    run(store, workers=workers)
    return store


def gold_labels(store, fixture: Path) -> tuple[dict[str, str], float]:
    """event_id -> story|source for the events that are the story's event; and the coverage."""
    gold = {json.loads(line)["id"]: json.loads(line) for line in fixture.read_text(encoding="utf-8").splitlines()}
    rows = store.rows("SELECT e.event_id, a.source_id, e.source_country, e.source_code, e.target_country, "
                      "e.target_code, e.plover FROM events e JOIN articles a USING (article_id)")
    labels, covered = {}, set()
    for r in rows:
        g = gold[r["source_id"]]["gold"]
        types = g["type"] if isinstance(g["type"], list) else [g["type"]]
        src = r["source_country"] or r["source_code"] or None
        tgt = r["target_country"] or r["target_code"] or None
        if r["plover"] in types and src in g["dyad"] and (tgt is None or {src, tgt} == set(g["dyad"])):
            labels[r["event_id"]] = f"{gold[r['source_id']]['story']}|{src}"
            covered.add(r["source_id"])
    return labels, len(covered) / len(gold)


def predicted(store) -> dict[str, str]:
    return dict(store.con.execute("SELECT event_id, cluster_id FROM events").fetchall())


def exact_match(store) -> dict[str, str]:
    rows = store.con.execute("SELECT event_id, block || '|' || coalesce(target_country, target_code, '') || '|' "
                             "|| coalesce(CAST(event_date AS VARCHAR), '') FROM events").fetchall()
    return dict(rows)


def recluster(store, **constants) -> dict[str, str]:
    """Cluster again in memory with other constants (for the sweep), without touching the store."""
    from tidings import clusters
    saved = {k: getattr(clusters, k) for k in constants}
    try:
        for k, v in constants.items():
            setattr(clusters, k, v)
        blocks = [r[0] for r in store.con.execute("SELECT DISTINCT block FROM events").fetchall()]
        reports: dict[str, list] = {}
        for row in store.block_reports(blocks):
            reports.setdefault(row.pop("block"), []).append(clusters.Report(**row))
        weight = clusters.idf([clusters.content_words(r) for m in reports.values() for r in m])
        return {r.event_id: clusters.cluster_id(g) for m in reports.values()
                for g in clusters.cluster_block(m, weight) for r in g}
    finally:
        for k, v in saved.items():
            setattr(clusters, k, v)


def evaluate(store, fixture: Path) -> dict:
    from tidings.clusters import pairwise
    labels, coverage = gold_labels(store, fixture)
    return {"clusters": pairwise(labels, predicted(store)), "exact_match_baseline": pairwise(labels, exact_match(store)),
            "coverage": round(coverage, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-sweep", action="store_true")
    args = ap.parse_args()
    from tidings.clusters import pairwise
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fixture in SETS.items():
            store = build_store(Path(tmp) / f"{name}.duckdb", fixture)
            report[name] = evaluate(store, fixture)
            if not args.no_sweep:
                labels, _ = gold_labels(store, fixture)
                report[name]["sweep"] = {
                    f"threshold={t} gap={g}": _pr(pairwise(labels, recluster(store, LINK_THRESHOLD=t, MAX_GAP_DAYS=g)))
                    for t in SWEEP_THRESHOLDS for g in SWEEP_GAPS}
            store.close()
    for name, r in report.items():
        r["clusters"], r["exact_match_baseline"] = _pr(r["clusters"]), _pr(r["exact_match_baseline"])
        sweep = r.pop("sweep", {})
        print(json.dumps({name: r}))
        for setting, pr in sweep.items():
            print(f"  {name}  {setting:24s} {pr}")


def _pr(scores: dict) -> str:
    return (f"P={scores['precision']:.3f} R={scores['recall']:.3f} "
            f"({scores['events']} events, {scores['gold_pairs']} gold pairs, {scores['predicted_pairs']} predicted)")


if __name__ == "__main__":
    main()
