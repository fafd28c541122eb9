"""Code the dev halves of the gold sets and score them with ../shared/eval/score.py.

    python bench/accuracy.py                 # all sets, figures to stdout and bench/out/accuracy.json
    python bench/accuracy.py plover case     # some sets

Reads ../shared (tests and benchmarks may; the product does not).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
OUT = ROOT / "bench" / "out"
SETS = {"plover": "plover_gsr.jsonl", "case": "case2021_task2.jsonl", "status": "status.jsonl",
        "places": "plover_gsr.jsonl", "quotes": "polnear_dev.jsonl", "actors": "actor_resolution.jsonl"}


def code_file(name: str, gold: Path) -> Path:
    import tidings
    pred = OUT / f"{name}.pred.jsonl"
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if name == "actors":
        from tidings.resolver import resolve_records
        results = resolve_records({"id": r["id"], "text": r["query"], "date": r.get("query_date"), "context": r.get("query_context")} for r in rows)
    else:
        inputs = [{"id": r["id"], "text": r["text"], "date": r.get("date")} for r in rows]
        results = tidings.code_records(inputs)
    with pred.open("w", encoding="utf-8") as f:
        for res in results:
            f.write(json.dumps(res if isinstance(res, dict) else res.as_dict()) + "\n")
    return pred


def score(kind: str, gold: Path, pred: Path) -> str:
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), kind, str(gold), str(pred)],
                         capture_output=True, text=True, check=True).stdout
    return out


def headline(kind: str, text: str) -> dict:
    last = text.strip().splitlines()[-1].split()
    nums = [float(x) for x in last if x.replace(".", "", 1).isdigit()]
    return {"line": text.strip().splitlines()[-1], "values": nums}


def main(names: list[str]) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    preds: dict[str, Path] = {}
    for name in names or ["plover", "case", "status", "places"]:
        gold = EVAL / SETS[name]
        file_key = SETS[name] if name != "actors" else "actors"
        if file_key not in preds:
            preds[file_key] = code_file(name, gold)
        text = score(name, gold, preds[file_key])
        print(text)
        results[name] = headline(name, text)
    (OUT / "accuracy.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
