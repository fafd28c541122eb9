"""Local worker processes vs Ray on this machine: articles/s and memory per worker, same articles.

    python bench/corpus_engines.py              # first 200 articles of ../shared/corpus/news_articles.jsonl
    python bench/corpus_engines.py --n 400 --workers 2

Each engine runs in its own fresh process (``--child``) on the same Parquet shards (2 files), coding
them with ``tidings.scale.code_parquet``. Reported: wall seconds end to end (start-up included: Ray's
start and each worker loading the pipeline) and after start-up (local: after the pipeline is loaded and
the workers forked; Ray: from ray.init's return, so actor start-up is still inside), articles/s, and the
peak memory of each worker process sampled every 0.25 s: RSS and USS (memory only that process holds;
forked local workers share the parent's pipeline pages copy-on-write, so their USS is what a worker
really adds). Timings on a shared machine are noisy: compare engines within one run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "news_articles.jsonl"
SAMPLE_S = 0.25


def write_shards(n: int, folder: Path, shards: int = 2) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = []
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows.append({"id": r["id"], "text": r["text"], "date": r.get("date"), "outlet": r.get("publisher")})
            if len(rows) >= n:
                break
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-len(rows) // shards)
    for i in range(shards):
        pq.write_table(pa.Table.from_pylist(rows[i * size:(i + 1) * size]), folder / f"part-{i}.parquet")


def processes() -> list[dict]:
    """pid, ppid and command line of every process (Linux /proc; no psutil here)."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            found.append({"pid": int(d.name), "ppid": ppid, "cmdline": cmd})
    return found


def memory(pid: int) -> tuple[int, int]:
    """(RSS, USS) in bytes from /proc/PID/smaps_rollup (USS = private clean + private dirty)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0]) * 1024
    return fields.get("Rss", 0), fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)


class Sampler:
    """Peak RSS / USS per worker process, sampled in a thread."""

    def __init__(self, match) -> None:
        self.match, self.peak, self.stop = match, {}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            for p in processes():
                if self.match(p):
                    try:
                        rss, uss = memory(p["pid"])
                    except OSError:
                        continue
                    old = self.peak.get(p["pid"], (0, 0))
                    self.peak[p["pid"]] = (max(old[0], rss), max(old[1], uss))
            self.stop.wait(SAMPLE_S)

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def per_worker_mb(self) -> list[dict]:
        return [{"rss_mb": rss // 2**20, "uss_mb": uss // 2**20} for rss, uss in self.peak.values()]


def child(engine: str, shards: Path, out: Path, workers: int) -> dict:
    import os

    from tidings.scale import code_parquet
    start = time.perf_counter()
    if engine == "ray":
        import ray
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        match = lambda p: "RayCoder" in p["cmdline"]
    else:
        from tidings.coder import warm_up
        warm_up()
        me = os.getpid()
        match = lambda p: p["ppid"] == me and "python" in p["cmdline"]
    ready = time.perf_counter()
    with Sampler(match) as sampler:
        n = code_parquet([str(shards)], out, engine=engine, workers=workers)
    end = time.perf_counter()
    return {"engine": engine, "workers": workers, "articles": n, "seconds_total": round(end - start, 1),
            "seconds_after_startup": round(end - ready, 1), "articles_per_s_total": round(n / (end - start), 2),
            "articles_per_s_after_startup": round(n / (end - ready), 2), "workers_memory": sampler.per_worker_mb()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--child", choices=["local", "ray"])
    ap.add_argument("--shards")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.shards), Path(args.out), args.workers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        shards = Path(tmp) / "in"
        write_shards(args.n, shards)
        for engine in ("local", "ray"):
            r = subprocess.run([sys.executable, __file__, "--child", engine, "--shards", str(shards), "--out",
                                str(Path(tmp) / f"out-{engine}"), "--workers", str(args.workers)],
                               capture_output=True, text=True, check=True)
            print(r.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
