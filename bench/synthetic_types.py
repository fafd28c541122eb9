"""How often the story's labelled PLOVER type is among the types coded for it, on NGEC's synthetic
stories (../shared/corpus/synthetic_plover_stories.jsonl: one labelled event type per story).

    python bench/synthetic_types.py --n 600 --seed 5

The stories are machine-written and their labels loose (a story labelled CONCEDE often also reports the
protest that led to it), so the figure is a recall floor by type, not an accuracy. Evaluation only: the
data has no licence for training.
"""
from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT.parent / "shared" / "corpus" / "synthetic_plover_stories.jsonl"
COUNTED = {"asserted", "reported"}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    import tidings
    with STORIES.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    random.Random(args.seed).shuffle(rows)
    rows = rows[:args.n]
    label = {r["id"]: r["label"] for r in rows}
    total, found = Counter(), Counter()
    for res in tidings.code_records(({"id": r["id"], "text": r["text"]} for r in rows), workers=args.workers):
        types = {e["plover"] for e in res.get("events", []) if e["status"] in COUNTED}
        total[label[res["id"]]] += 1
        found[label[res["id"]]] += label[res["id"]] in types
    for t in sorted(total, key=lambda t: -found[t] / total[t]):
        print(f"{t:<10} {found[t]:>4}/{total[t]:<4} {found[t] / total[t]:.2f}")
    overall = sum(found.values()) / sum(total.values())
    print(f"labelled type found in {sum(found.values())}/{sum(total.values())} stories = {overall:.3f}")
    return {"overall": overall, "by_type": {t: [found[t], total[t]] for t in total}}


if __name__ == "__main__":
    main()
