"""Ingest: every source kind in, duplicates stored once, bad input recorded with its reason, never a crash."""
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.errors import RecordError
from tidings.fetch import FetchError, MemoryFetcher
from tidings.ingest import Article, article_id, ingest, read_sources
from tidings.store import Store

PAGE = """<html><head><title>Russia shells Kharkiv | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2022-03-07T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Russia shells Kharkiv</h1>
<p>Russian forces shelled the Ukrainian city of Kharkiv on Monday, killing at least nine civilians,
regional officials said.</p><p>Residential blocks near the city centre were hit by rockets.</p></article>
<footer>Copyright Daily Planet</footer></body></html>"""
FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Atlas Wire</title>
<link>https://atlas.example/</link><description>World news</description>
<item><title>Talks in Minsk</title><link>https://atlas.example/minsk</link><guid>atlas-1</guid>
<pubDate>Tue, 10 May 2022 09:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>https://atlas.example/gone</link><pubDate>Tue, 10 May 2022 10:00:00 GMT</pubDate></item>
</channel></rss>"""
MINSK = ("<html><body><article><p>Belarus and Russia held talks in Minsk on Tuesday on deepening military "
         "cooperation, the Belarusian defence ministry said. Both sides agreed to hold more joint drills.</p>"
         "</article></body></html>")


def store_at(tmp_path) -> Store:
    return Store(tmp_path / "t.duckdb")


def write(path: Path, content) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return path


def test_folder_of_every_file_kind_is_ingested(tmp_path):
    src = tmp_path / "in"
    write(src / "a.txt", "Egypt held talks with Jordan on Sunday.")
    write(src / "b.jsonl", json.dumps({"id": "b1", "text": "Israel launched airstrikes on Lebanon.",
                                       "date": "2024-01-02", "publisher": "Atlas Wire"}) + "\n")
    write(src / "c.json", json.dumps([{"id": "c1", "text": "China accused the United States of meddling."}]))
    write(src / "d.csv", "id,text,date,outlet\nd1,\"Iran fired missiles at US bases, officials said.\",20200108,Ledger\n")
    write(src / "sub" / "e.html", PAGE)
    write(src / "notes.md", "# not an input type: skipped")
    with store_at(tmp_path) as store:
        counts = ingest([str(src)], store)
        rows = {r["source_id"]: r for r in store.rows("SELECT * FROM articles")}
    assert counts == {"articles": 5, "duplicates": 0, "failed": 0}
    assert rows["b1"]["outlet"] == "Atlas Wire" and rows["b1"]["date"] == dt.date(2024, 1, 2)
    assert rows["d1"]["date"] == dt.date(2020, 1, 8) and rows["a"]["text"].startswith("Egypt")
    page = next(r for r in rows.values() if r["source_ref"].endswith("e.html"))
    assert "shelled the Ukrainian city of Kharkiv" in page["text"] and "Copyright" not in page["text"]
    assert page["date"] == dt.date(2022, 3, 7) and page["outlet"] == "Daily Planet"


def test_same_article_twice_is_stored_once_and_both_sources_are_kept(tmp_path):
    text = "Belarus and Russia held talks in Minsk on Tuesday."
    write(tmp_path / "one.txt", text)
    write(tmp_path / "two.jsonl", json.dumps({"id": "x", "text": "  belarus and RUSSIA held talks in Minsk on Tuesday. "}) + "\n")
    with store_at(tmp_path) as store:
        first = ingest([str(tmp_path / "one.txt")], store)
        second = ingest([str(tmp_path / "two.jsonl"), str(tmp_path / "one.txt")], store)
        assert store.scalar("SELECT count(*) FROM articles") == 1
        refs = {r[0] for r in store.con.execute("SELECT source_ref FROM article_sources").fetchall()}
    assert first["articles"] == 1 and second == {"articles": 0, "duplicates": 2, "failed": 0}
    assert refs == {str(tmp_path / "one.txt"), str(tmp_path / "two.jsonl") + ":1"}
    assert article_id(text) == article_id(text.upper() + "  ")


def test_bad_files_are_recorded_with_their_reason_and_the_rest_is_stored(tmp_path):
    src = tmp_path / "bad"
    write(src / "empty.txt", "")
    write(src / "binary.txt", bytes(range(256)) * 4)
    write(src / "latin1.txt", "Caf\xe9 talks in Minsk".encode("latin-1"))
    write(src / "huge.txt", "word " * (2 * 1024 * 1024 + 10))          # over 10 MB
    write(src / "junk.html", "<html><head><script>var a=1;</script></head><body><div></div></body></html>")
    write(src / "lines.jsonl", '{"id": 1, "text": "Egypt held talks with Jordan."}\n{broken\n[1, 2]\n'
                               '{"id": 4, "text": ""}\n{"id": 5, "text": "Fine text.", "date": "someday"}\n')
    write(src / "good.txt", "Israel launched airstrikes on Lebanon on Tuesday.")
    with store_at(tmp_path) as store:
        counts = ingest([str(src), str(tmp_path / "missing.txt")], store)
        reasons = {Path(r["ref"].split(":")[0]).name if "/" in r["ref"] else r["ref"]: (r["code"], r["reason"])
                   for r in store.failures("ingest")}
        lines = {r["ref"].rsplit(":", 1)[1]: r["code"] for r in store.failures() if "lines.jsonl:" in r["ref"]}
    assert counts["articles"] == 2 and counts["failed"] == 10
    assert reasons["empty.txt"][0] == "E102" and "binary" in reasons["binary.txt"][1]
    assert "not UTF-8" in reasons["latin1.txt"][1] and "larger than 10 MB" in reasons["huge.txt"][1]
    assert "no article text" in reasons["junk.html"][1] and "no such file" in reasons["missing.txt"][1]
    assert lines == {"2": "E101", "3": "E107", "4": "E102", "5": "E106"}


def test_urls_and_feeds_go_through_the_fetcher(tmp_path):
    fetcher = MemoryFetcher({"https://planet.example/kharkiv": PAGE, "https://atlas.example/feed.xml": FEED,
                             "https://atlas.example/minsk": MINSK})
    items = list(read_sources(["https://planet.example/kharkiv", "https://atlas.example/feed.xml",
                               "https://nowhere.example/x"], fetcher))
    arts = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, RecordError)]
    assert [a.source_kind for a in arts] == ["url", "feed"]
    assert arts[0].date == dt.date(2022, 3, 7) and arts[0].outlet == "Daily Planet"
    minsk = arts[1]
    assert minsk.date == dt.date(2022, 5, 10) and minsk.outlet == "Atlas Wire" and minsk.title == "Talks in Minsk"
    assert minsk.url == "https://atlas.example/minsk" and minsk.source_id == "atlas-1"
    assert sorted(e.record_id for e in errors) == ["https://atlas.example/gone", "https://nowhere.example/x"]
    assert "fetch failed" in str(errors[0]) and "404" in str(errors[0])


def test_memory_fetcher_fails_like_the_web():
    with pytest.raises(FetchError):
        MemoryFetcher({}).fetch("https://example.org/")


SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".csv", ".parquet", ".bin"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=3000), st.text(max_size=3000)), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_and_text_never_crash_ingest(tmp_path, content, suffix):
    path = write(tmp_path / f"random{suffix}", content)
    items = list(read_sources([str(path)]))
    for item in items:
        assert isinstance(item, (Article, RecordError))
        if isinstance(item, Article):
            assert item.text.strip() and len(item.article_id) == 32
        else:
            assert item.code.startswith("E1") and str(item.record_id).startswith(str(path))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(st.text(max_size=200),
                                st.fixed_dictionaries({"id": st.integers(), "text": st.text(max_size=200)})),
                      max_size=8))
def test_random_jsonl_is_stored_or_recorded_line_by_line(tmp_path, lines):
    path = tmp_path / "random.jsonl"
    path.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x.replace("\n", " ") for x in lines),
                    encoding="utf-8")
    with Store(":memory:") as store:
        counts = ingest([str(path)], store)
        stored = store.scalar("SELECT count(*) FROM articles")
        failed = store.scalar("SELECT count(*) FROM failures")
    assert counts["articles"] == stored and counts["failed"] == failed
    assert counts["articles"] + counts["duplicates"] + counts["failed"] == sum(1 for x in lines if (
        json.dumps(x) if isinstance(x, dict) else x.replace("\n", " ")).strip())
