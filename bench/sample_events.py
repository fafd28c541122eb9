"""Print a random sample of coded events with their sentences, for reading by a person (precision checks).

    python bench/sample_events.py --start 300 --n 80 --k 40 --seed 7
    python bench/sample_events.py --plover ASSAULT --k 30     # only one type

Codes ``--n`` articles of ../shared/corpus/news_articles.jsonl from ``--start`` and prints ``--k``
events drawn at random: code, type, status, trigger, source -> target, and the sentence.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "news_articles.jsonl"


def actor(a: dict | None) -> str:
    return f"{a['text']}={a['code'] or '?'}" if a else "-"


def sentence_of(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return re.sub(r"\s+", " ", text[left:min(stops) + 1 if stops else len(text)]).strip()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--start", type=int, default=300)
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--k", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--plover")
    args = ap.parse_args(argv)
    import tidings
    with CORPUS.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][args.start:args.start + args.n]
    texts = {str(r["id"]): r["text"] for r in rows}
    records = [{"id": str(r["id"]), "text": r["text"], "date": r.get("date")} for r in rows]
    found = []
    for res in tidings.code_records(records):
        for e in res.get("events", []) if isinstance(res, dict) else []:
            if args.plover is None or e["plover"] == args.plover:
                found.append((res["id"], e))
    random.Random(args.seed).shuffle(found)
    for rid, e in found[:args.k]:
        t = e["trigger"]
        print(f"[{rid}] {e['cameo']} {e['plover']} {e['status']} | {t['text']} | "
              f"{actor(e['source'])} -> {actor(e['target'])}\n    {sentence_of(texts[rid], t['start'], t['end'])[:400]}\n")
    print(f"{len(found)} events in {len(rows)} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
