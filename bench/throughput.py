"""Throughput of tidings against the bare spaCy pipeline on the same texts, in one run.

    python bench/throughput.py            # first 150 articles of ../shared/corpus/news_articles.jsonl
    python bench/throughput.py --n 400
    python bench/throughput.py --stages --n 30     # share of time per pipeline component, one process

Each measurement runs in its own process (pipeline loaded before the clock starts): bare ``nlp.pipe``
with 1 and 2 processes, and ``tidings.code_records`` with 1 and 2 workers. Prints articles/s, the
ratios tidings/bare at equal worker counts, and peak resident memory per process. Timings on a shared
machine are noisy: compare the ratios, measured side by side, not absolute figures across runs.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "news_articles.jsonl"


def load_texts(n: int) -> list[dict]:
    rows = []
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows.append({"id": r["id"], "text": r["text"], "date": r.get("date")})
            if len(rows) >= n:
                break
    return rows


def measure(mode: str, workers: int, n: int) -> dict:
    rows = load_texts(n)
    if mode == "bare":
        from tidings.nlp import load_base
        nlp = load_base()
        start = time.perf_counter()
        for _ in nlp.pipe((r["text"] for r in rows), batch_size=16, n_process=workers):
            pass
    else:
        import tidings
        from tidings.coder import warm_up
        warm_up()
        start = time.perf_counter()
        results = list(tidings.code_records(rows, workers=workers))
        assert len(results) == len(rows)
    seconds = time.perf_counter() - start
    return {"mode": mode, "workers": workers, "articles": len(rows), "seconds": round(seconds, 2),
            "articles_per_s": round(len(rows) / seconds, 2),
            "peak_rss_mb_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "peak_rss_mb_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}


def stage_shares(n: int) -> dict[str, float]:
    """Seconds per pipeline component over ``n`` articles (components run one by one on each text)."""
    from tidings import nlp as nlp_mod
    from tidings.record import parse_date
    from tidings.coder import warm_up
    nlp = nlp_mod.load()
    warm_up()                    # the gazetteer index and other lazy tables, built once per process
    seconds: dict[str, float] = {}
    for row in load_texts(n):
        doc = nlp.make_doc(row["text"])
        doc._.date = parse_date(row["date"]) if row.get("date") else None
        for name, proc in nlp.pipeline:
            start = time.perf_counter()
            doc = proc(doc)
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
    total = sum(seconds.values())
    for name, sec in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"{name:<22} {sec:7.2f} s  {100 * sec / total:5.1f}%")
    ours = sum(sec for name, sec in seconds.items() if name.startswith("tidings"))
    print(f"tidings' own components: {100 * ours / total:.1f}% of the pipeline's time")
    return seconds


def run_all(n: int) -> dict:
    results = {}
    for workers in (1, 2):
        for mode in ("bare", "tidings"):
            out = subprocess.run([sys.executable, __file__, "--one", mode, str(workers), "--n", str(n)],
                                 capture_output=True, text=True, check=True).stdout
            results[f"{mode}_{workers}"] = json.loads(out.strip().splitlines()[-1])
            print(json.dumps(results[f"{mode}_{workers}"]), flush=True)
    for workers in (1, 2):
        ratio = results[f"tidings_{workers}"]["articles_per_s"] / results[f"bare_{workers}"]["articles_per_s"]
        results[f"ratio_{workers}"] = round(ratio, 3)
        print(f"tidings / bare spaCy with {workers} worker(s): {ratio:.3f}")
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "throughput.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=150, help="articles (a fixed slice from the start)")
    ap.add_argument("--stages", action="store_true", help="time each pipeline component instead")
    ap.add_argument("--one", nargs=2, metavar=("MODE", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stages:
        stage_shares(args.n)
    elif args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]), args.n)))
    else:
        run_all(args.n)
