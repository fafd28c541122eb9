"""Load test of the web API: requests per second and latency percentiles for event queries, on loopback.

1. Builds (once; reused if present) a synthetic store of ``--events`` events (default 50,000) through the
   Store API: ``Store.add_articles`` then ``Store.save_coded`` with contract records made here (actors from
   30 countries and 6 sectors, real CAMEO codes with their PLOVER type, Goldstein value and quad class from
   tidings' codebook, statuses, places, quotes; dates over 2020-2024; 4 events per article), then
   ``clusters.update`` as ``tidings run`` does. No spaCy: the text is generated with the records.
2. Starts ``tidings serve`` (``python -m tidings.cli_web serve``, read-only, one uvicorn process) on a free
   loopback port.
3. Sends event queries from ``--concurrency`` concurrent clients (1, then 8, by default) (httpx, keep-alive) for ``--seconds``
   after a warm-up, drawing each query from a mix of filters (see ``QUERIES``), and reports requests per
   second, p50/p90/p99 latency and the status codes, overall and per query kind.

    .venv/bin/python bench/web_load.py                       # 50k events; 1 then 8 clients, 20 s each
    .venv/bin/python bench/web_load.py --events 200000 --db big.duckdb --seconds 30 --concurrency 16

The client runs on the same machine as the server (2 cores here): the figures are a floor.
Writes bench/out/web_load.json.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
COUNTRIES = ["RUS", "UKR", "BLR", "USA", "CHN", "DEU", "FRA", "GBR", "POL", "TUR", "IRN", "ISR", "PSE", "SYR",
             "EGY", "JOR", "SAU", "IND", "PAK", "AFG", "JPN", "KOR", "PRK", "BRA", "MEX", "ZAF", "NGA", "ETH",
             "SDN", "VEN"]
SECTORS = [None, "GOV", "MIL", "OPP", "CVL", "REB"]
CAMEO = ["010", "020", "036", "040", "042", "043", "051", "057", "061", "071", "080", "090", "111", "112", "120",
         "128", "130", "138", "141", "150", "163", "172", "173", "180", "190", "193", "194", "195"]
STATUSES = ["asserted"] * 6 + ["reported"] * 3 + ["negated", "hypothetical"]
OUTLETS = ["Daily Planet", "The Meridian", "Atlas Wire", "Global Desk", "Nile Times", "Northern Post"]
EVENTS_PER_ARTICLE = 4
BATCH = 2000            # articles per transaction
START, DAYS = dt.date(2020, 1, 1), 5 * 365


def _codebook() -> dict:
    from tidings.cameo import codebook
    book = codebook()
    return {c: book[c] for c in CAMEO if c in book}


def _actor(rng: random.Random, text_at: int) -> dict:
    country, sector = rng.choice(COUNTRIES), rng.choice(SECTORS)
    text = f"{country} {sector or 'state'}"
    return {"text": text, "start": text_at, "end": text_at + len(text), "name": None, "kb_id": None,
            "country": country, "sector": sector, "code": country + (sector or "")}


def synthetic_article(i: int, rng: random.Random, book: dict) -> tuple[str, dt.date, str, dict]:
    """One article's text, date, outlet and contract record (without its id)."""
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    sentences, events, mentions, quotes, at = [], [], [], [], 0
    for k in range(EVENTS_PER_ARTICLE):
        src = _actor(rng, at)
        code = rng.choice(list(book))
        entry = book[code]
        verb = entry.name.split(",")[0].lower()[:40] or "acted"
        tgt = _actor(rng, at + len(src["text"]) + 1 + len(verb) + 1)
        sentence = f"{src['text']} {verb} {tgt['text']} in Town{rng.randrange(500)} (report {i}.{k})."
        trigger = {"text": verb, "start": at + len(src["text"]) + 1, "end": at + len(src["text"]) + 1 + len(verb)}
        status = rng.choice(STATUSES)
        events.append({"sentence": k, "trigger": trigger, "cameo": code, "plover": entry.plover,
                       "plover_mode": entry.plover_mode, "plover_context": list(entry.plover_context),
                       "goldstein": entry.goldstein, "quad_class": entry.quad_class, "source": src, "target": tgt,
                       "status": status, "reported_by": src if status == "reported" else None,
                       "location": None, "when": {"earliest": day.isoformat(), "latest": day.isoformat()},
                       "confidence": round(rng.uniform(0.5, 1.0), 2)})
        mentions += [src, tgt]
        if k == 0:
            quotes.append({"speaker": src, "cue": trigger, "kind": "indirect",
                           "content": {"text": sentence[:-1], "start": at, "end": at + len(sentence) - 1}})
        sentences.append(sentence)
        at += len(sentence) + 1
    record = {"outlet": None, "date": day.isoformat(), "time": {"earliest": None, "latest": None, "basis": []},
              "mentions": mentions, "events": events, "quotes": quotes, "warnings": []}
    return " ".join(sentences), day, rng.choice(OUTLETS), record


def build_store(path: Path, events: int, seed: int = 7) -> dict:
    """A store of ``events`` synthetic events, through the Store API (see the module's docstring)."""
    from tidings import clusters
    from tidings.ingest import Article
    from tidings.store import Store
    rng, book = random.Random(seed), _codebook()
    started = time.perf_counter()
    n_articles = -(-events // EVENTS_PER_ARTICLE)
    with Store(path) as store:
        run_id = store.start_run("synthetic", 1, "bench", {"name": "synthetic", "version": "0"})
        for first in range(0, n_articles, BATCH):
            made = [synthetic_article(i, rng, book) for i in range(first, min(first + BATCH, n_articles))]
            arts = [Article(text, title=f"Report {first + j}", date=day, outlet=outlet, source_ref=f"synthetic:{first + j}")
                    for j, (text, day, outlet, _) in enumerate(made)]
            store.add_articles(arts)
            rows = {r["article_id"]: r for r in store.rows(
                "SELECT article_id, seq, text, date, outlet, title, url FROM articles WHERE article_id IN "
                "(SELECT unnest(?))", [[a.article_id for a in arts]])}
            results = [{**rec, "id": a.article_id} for a, (_, _, _, rec) in zip(arts, made)]
            store.save_coded(run_id, results, rows)
        store.finish_run(run_id, n_articles, 0)
        built = time.perf_counter() - started
        clusters.update(store)
        stats = store.stats()
    return {**stats, "build_seconds": round(built, 1), "cluster_seconds": round(time.perf_counter() - started - built, 1)}


def queries(rng: random.Random) -> tuple[str, str]:
    """(kind, URL) of one event query, drawn from the mix."""
    c, d = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
    year = rng.randrange(2020, 2025)
    kinds = {
        "latest": "/events.json",
        "source+type": f"/events.json?source={c}&type={rng.choice(['ASSAULT', 'CONSULT', 'COERCE', 'AGREE'])}",
        "actor+dates": f"/events.json?actor={c}&since={year}-01-01&until={year}-06-30",
        "dyad": f"/events.json?source={c}&target={d}&status=asserted,reported",
        "deep page": f"/events.json?status=asserted&offset={rng.randrange(0, 20000, 50)}",
        "words": f"/events.json?q=town{rng.randrange(500)}&limit=20",
        "dedup": f"/events.json?dedup=true&type=19&country={c}",
    }
    kind = rng.choice(list(kinds))
    return kind, kinds[kind]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def hammer(base: str, seconds: float, concurrency: int, warmup: float, seed: int) -> list[tuple[str, float, int]]:
    import httpx
    rng = random.Random(seed)
    results: list[tuple[str, float, int]] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        stop_warm = time.perf_counter() + warmup
        stop = stop_warm + seconds

        async def worker() -> None:
            while (now := time.perf_counter()) < stop:
                kind, url = queries(rng)
                t0 = time.perf_counter()
                response = await client.get(url)
                took = time.perf_counter() - t0
                if now >= stop_warm:
                    results.append((kind, took, response.status_code))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def summary(rows: list[tuple[str, float, int]], seconds: float) -> dict:
    times = sorted(t for _, t, _ in rows)

    def pct(p: float) -> float:
        return round(1000 * times[min(len(times) - 1, int(p * len(times)))], 1)

    codes: dict[str, int] = {}
    for _, _, code in rows:
        codes[str(code)] = codes.get(str(code), 0) + 1
    return {"requests": len(rows), "rps": round(len(rows) / seconds, 1), "p50_ms": pct(0.50), "p90_ms": pct(0.90),
            "p99_ms": pct(0.99), "mean_ms": round(1000 * statistics.fmean(times), 1), "status": codes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--db", type=Path, default=OUT / "web_load.duckdb")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--concurrency", default="1,8", help="Concurrent clients; a comma list runs each in turn.")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    store = None
    if not args.db.exists():
        print(f"building {args.events:,} synthetic events in {args.db} ...", file=sys.stderr)
        store = build_store(args.db, args.events)
        print(json.dumps(store), file=sys.stderr)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tidings.cli_web", "serve", "--db", str(args.db), "--port",
                               str(port)], cwd=ROOT, env={**os.environ, "TIDINGS_TOKEN": ""})
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base, server)
        events = json.loads(_get(base + "/index.json"))["stats"]["events"]
        runs = {}
        for clients in (int(c) for c in args.concurrency.split(",")):
            rows = asyncio.run(hammer(base, args.seconds, clients, args.warmup, args.seed))
            runs[str(clients)] = {"all": summary(rows, args.seconds),
                                  "by_kind": {k: summary([r for r in rows if r[0] == k], args.seconds)
                                              for k in sorted({r[0] for r in rows})}}
            print(f"{clients} clients: {json.dumps(runs[str(clients)]['all'])}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(30)
    report = {"date": dt.date.today().isoformat(), "events_in_store": events, "seconds": args.seconds,
              "cpus": os.cpu_count(), "server": "tidings serve (1 uvicorn process)", "by_concurrency": runs,
              "store_build": store}
    (OUT / "web_load.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))


def _get(url: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def _wait(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            _get(base + "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
