"""Code PolNeAR's dev articles and score the quotes with ../shared/eval/score.py.

    python bench/quotes_eval.py                       # polnear_dev.jsonl -> bench/out/quotes.pred.jsonl
    python bench/quotes_eval.py --gold polnear_train.jsonl --limit 200 --workers 2

Reads ../shared (benchmarks may; the product does not). The headline figures (content F1, loose
overlap; speaker right among found quotes) are on the last line of the output.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "bench" / "out"


def inputs(gold: Path, limit: int | None) -> list[dict]:
    """One input record per gold record (id, text, date), the first ``limit`` articles."""
    rows = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    articles: list[str] = []
    records = []
    for r in rows:
        if r["article"] not in articles:
            if limit is not None and len(articles) >= limit:
                break
            articles.append(r["article"])
        records.append({"id": r["id"], "text": r["text"], "date": r.get("date")})
    return records


def code(records: list[dict], pred: Path, workers: int) -> None:
    import tidings
    pred.parent.mkdir(parents=True, exist_ok=True)
    with pred.open("w", encoding="utf-8") as f:
        for res in tidings.code_records(records, workers=workers):
            f.write(json.dumps(res if isinstance(res, dict) else res.as_dict(), ensure_ascii=False) + "\n")


def score(gold: Path, pred: Path, limit: int | None) -> str:
    if limit is not None:                       # score only the coded articles
        ids = {json.loads(line)["id"] for line in pred.open(encoding="utf-8")}
        part = OUT / f"{gold.stem}.part.jsonl"
        part.write_text("".join(line for line in gold.open(encoding="utf-8")
                                if line.strip() and json.loads(line)["id"] in ids), encoding="utf-8")
        gold = part
    return subprocess.run([sys.executable, str(EVAL / "score.py"), "quotes", str(gold), str(pred)],
                          capture_output=True, text=True, check=True).stdout


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default="polnear_dev.jsonl", help="a polnear_*.jsonl file in shared/eval")
    ap.add_argument("--limit", type=int, default=None, help="code only the first N articles")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--pred", type=Path, default=OUT / "quotes.pred.jsonl")
    args = ap.parse_args(argv)
    gold = EVAL / args.gold
    code(inputs(gold, args.limit), args.pred, args.workers)
    result = score(gold, args.pred, args.limit)
    sys.stdout.write(result)
    return result


if __name__ == "__main__":
    main()
