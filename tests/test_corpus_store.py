"""The store with the real pipeline: run codes what is not coded, with provenance, losslessly, and a
run killed with SIGKILL and started again loses nothing and duplicates nothing."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT, write_jsonl

import tidings
from tidings import nlp
from tidings.ingest import ingest
from tidings.scale import run
from tidings.store import Store

pytestmark = pytest.mark.model

KILL_ARTICLES = 600         # coded at ~100/s here: the kill lands a few seconds before the end
KILL_AFTER = 96             # articles coded (3 commits) before the SIGKILL
PLACES = ["Kharkiv", "Mariupol", "Odesa", "Minsk", "Gomel", "Lviv", "Dnipro", "Kherson"]
TEMPLATES = ["Russian forces shelled {p} on Monday, killing {n} civilians, officials said.",
             "Belarus and Russia held talks in {p} on Tuesday about {n} joint exercises.",
             "Ukraine accused Russia of attacking {p} with {n} drones overnight.",
             "The European Union imposed sanctions on {n} Russian officials over the strikes on {p}."]


def short_articles(n: int) -> list[dict]:
    return [{"id": f"k{i}", "text": TEMPLATES[i % 4].format(p=PLACES[i % 8], n=i + 2), "date": "2022-03-07",
             "outlet": f"Outlet {i % 5}"} for i in range(n)]


def test_run_codes_what_is_not_coded_with_provenance_and_keeps_the_record(tmp_path):
    rows = short_articles(6) + [{"id": "ru", "text": "Российские войска обстреляли Харьков в понедельник, "
                                                      "погибли девять мирных жителей, сообщили власти города."}]
    with Store(tmp_path / "s.duckdb") as store:
        ingest([str(write_jsonl(tmp_path / "a.jsonl", rows[:4]))], store)
        first = run(store)
        ingest([str(write_jsonl(tmp_path / "b.jsonl", rows))], store)
        second = run(store)
        third = run(store)
        prov = store.rows("SELECT DISTINCT r.tidings_version, r.pipeline_name, r.pipeline_version FROM codings c "
                          "JOIN runs r USING (run_id)")
        record = json.loads(store.scalar("SELECT c.record FROM codings c JOIN articles a USING (article_id) "
                                         "WHERE a.source_id = 'k0'"))
        failures = store.failures("code")
    info = nlp.pipeline_info(nlp.load())
    assert (first.coded, second.coded, second.failed, third.coded) == (4, 2, 1, 0)
    assert prov == [{"tidings_version": tidings.__version__, "pipeline_name": info["name"],
                     "pipeline_version": info["version"]}]
    expected = tidings.code(rows[0]["text"], date="2022-03-07", outlet="Outlet 0", id=record["id"])
    assert record == expected and record["events"]
    assert [(f["code"], f["reason"].split(" ")[0]) for f in failures] == [("E103", "not")]


def _follow(stream, sink: list) -> None:
    for chunk in iter(lambda: stream.read1(256), b""):
        sink.append(chunk.decode("utf-8", "replace"))


def test_kill_9_mid_run_loses_nothing_and_duplicates_nothing(tmp_path):
    db = tmp_path / "kill.duckdb"
    articles = short_articles(KILL_ARTICLES)
    with Store(db) as store:
        assert ingest([str(write_jsonl(tmp_path / "in.jsonl", articles))], store)["articles"] == KILL_ARTICLES
    proc = subprocess.Popen([sys.executable, "-m", "tidings.cli_corpus", "run", "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    progress: list[str] = []
    reader = threading.Thread(target=_follow, args=(proc.stderr, progress), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        done = [int(m) for m in re.findall(rf"(\d+)/{KILL_ARTICLES}", "".join(progress))]
        if done and max(done) >= KILL_AFTER:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: " + "".join(progress)[-500:]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(5)
    proc.stderr.close()
    with Store(db) as store:
        killed_at = store.scalar("SELECT count(*) FROM codings")
        assert 0 < killed_at < KILL_ARTICLES
        _assert_whole(store)
        summary = run(store)
        assert summary.coded == KILL_ARTICLES - killed_at
        _assert_whole(store)
        assert store.scalar("SELECT count(*) FROM codings WHERE ok") == KILL_ARTICLES
        assert store.scalar("SELECT count(*) FROM events WHERE cluster_id IS NULL") == 0
        stored = store.rows("SELECT a.source_id, c.record FROM codings c JOIN articles a USING (article_id)")
    expected = {a["id"]: r for a, r in zip(articles, tidings.code_records(articles))}
    for row in stored:          # what was coded before and after the kill is what a clean run codes
        assert _events(json.loads(row["record"])) == _events(expected[row["source_id"]])


def _assert_whole(store) -> None:
    """Every coded article has exactly its record's events, actors and quotes: none half-written, none twice."""
    rows = store.rows("SELECT c.article_id, c.record, (SELECT count(*) FROM events e WHERE e.article_id = c.article_id) "
                      "AS events, (SELECT count(*) FROM actors m WHERE m.article_id = c.article_id) AS actors "
                      "FROM codings c WHERE c.ok")
    for r in rows:
        rec = json.loads(r["record"])
        assert (r["events"], r["actors"]) == (len(rec["events"]), len(rec["mentions"])), r["article_id"]
    orphans = store.scalar("SELECT count(*) FROM events e ANTI JOIN codings c USING (article_id)")
    assert orphans == 0
    assert store.scalar("SELECT count(*) - count(DISTINCT event_id) FROM events") == 0


def _events(record: dict) -> list[tuple]:
    return [(e["cameo"], (e["source"] or {}).get("code"), (e["target"] or {}).get("code"), e["trigger"]["start"])
            for e in record["events"]]


def test_bad_files_fail_visibly_and_the_rest_is_coded(tmp_path):
    import click
    from click.testing import CliRunner

    from tidings.cli_corpus import register

    @click.group()
    def main():
        pass
    register(main)
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_text("")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (src / "big.txt").write_text("Talks were held. " * 700_000)                      # 11.9 MB
    (src / "latin1.txt").write_bytes("Caf\xe9 au lait in Minsk".encode("latin-1"))
    (src / "russian.txt").write_text("Российские войска обстреляли Харьков в понедельник, погибли девять мирных "
                                     "жителей, сообщили власти города.", encoding="utf-8")
    (src / "junk.html").write_text("<html><body><script>x()</script><div><a href='/'>Home</a></div></body></html>")
    (src / "good.txt").write_text("Israel launched airstrikes on southern Lebanon on Tuesday.")
    db = str(tmp_path / "bad.duckdb")
    run_cli = CliRunner().invoke
    assert run_cli(main, ["ingest", str(src), "--db", db, "--quiet"]).exit_code == 1
    coded = run_cli(main, ["run", "--db", db, "--quiet"])
    assert coded.exit_code == 1 and json.loads(coded.output)["coded"] == 1
    shown = run_cli(main, ["failures", "--db", db, "--format", "json"])
    reasons = {(r["ref"].rsplit("/", 1)[-1] if r["stage"] == "ingest" else "russian.txt"): r["code"]
               for r in json.loads(shown.output)}
    assert reasons == {"empty.txt": "E102", "binary.txt": "E111", "big.txt": "E109", "latin1.txt": "E111",
                       "junk.html": "E112", "russian.txt": "E103"}
    events = run_cli(main, ["events", "--db", db, "--format", "json"])
    assert [e["plover"] for e in json.loads(events.output)] == ["ASSAULT"]
