"""Queries, exports and the corpus CLI over a store of hand-made coded records (no model needed)."""
import csv
import datetime as dt
import json
import re

import click
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import ROOT

from tidings import clusters
from tidings.cli_corpus import COMMANDS, register
from tidings.export import GDELT_COLUMNS, export
from tidings.ingest import Article
from tidings.query import Filters, dyad, events
from tidings.store import Store

# GDELT 2.0 event table, in order (GDELT-Event_Codebook-V2.0)
GDELT_2 = ("GlobalEventID Day MonthYear Year FractionDate " + " ".join(
    f"{a}Code {a}Name {a}CountryCode {a}KnownGroupCode {a}EthnicCode {a}Religion1Code {a}Religion2Code "
    f"{a}Type1Code {a}Type2Code {a}Type3Code" for a in ("Actor1", "Actor2"))
    + " IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources "
      "NumArticles AvgTone " + " ".join(
          f"{g}_Type {g}_FullName {g}_CountryCode {g}_ADM1Code {g}_ADM2Code {g}_Lat {g}_Long {g}_FeatureID"
          for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")) + " DATEADDED SOURCEURL").split()


def actor(code, country, sector=None, text=None, name=None):
    return {"text": text or code, "start": 0, "end": 3, "name": name, "kb_id": None, "country": country,
            "sector": sector, "code": code}


def event(src, tgt, plover, cameo, goldstein, when=None, status="asserted", trigger="shelled", place=None):
    return {"sentence": 0, "trigger": {"text": trigger, "start": 10, "end": 10 + len(trigger)}, "cameo": cameo,
            "plover": plover, "plover_mode": None, "plover_context": [], "goldstein": goldstein,
            "quad_class": 4 if goldstein < 0 else 1, "source": src, "target": tgt, "status": status,
            "reported_by": None, "location": place, "when": {"earliest": when, "latest": when} if when else None,
            "confidence": 0.9}


KHARKIV = {"text": "Kharkiv", "start": 30, "end": 37, "name": "Kharkiv", "country": "UKR", "lat": 49.98, "lon": 36.25}
ARTICLES = [  # (text, date, outlet, url, events)
    ("Russian forces shelled Kharkiv in Ukraine on Monday, killing nine civilians.", "2022-03-07", "Daily Planet",
     "https://planet.example/1",
     [event(actor("RUSMIL", "RUS", "MIL", "Russian forces"), actor("UKR", "UKR"), "ASSAULT", "194", -10.0,
            "2022-03-07", place=KHARKIV)]),
    ("Russia pounded Kharkiv in Ukraine with artillery on Monday; nine civilians died.", "2022-03-08", "The Meridian",
     None, [event(actor("RUS", "RUS"), actor("UKR", "UKR"), "ASSAULT", "190", -10.0, "2022-03-07",
                  trigger="pounded", place=KHARKIV)]),
    ("Russian forces shelled Kharkiv again on Monday, hitting a school.", "2022-03-14", "Daily Planet", None,
     [event(actor("RUSMIL", "RUS", "MIL"), actor("UKR", "UKR"), "ASSAULT", "194", -10.0, "2022-03-14",
            status="reported")]),
    ("Belarus and Russia held talks in Minsk.", "2022-05-10", "Atlas Wire", None,
     [event(actor("BLR", "BLR"), actor("RUS", "RUS"), "CONSULT", "040", 1.0, trigger="held"),
      event(actor("RUS", "RUS"), actor("BLR", "BLR"), "CONSULT", "040", 1.0, trigger="held")]),
    ("Belarus agreed with Russia on gas prices.", "2022-06-20", "Atlas Wire", None,
     [event(actor("BLRGOV", "BLR", "GOV"), actor("RUS", "RUS"), "AGREE", "057", 8.0, trigger="agreed")]),
    ("The United Nations called on Russia to stop.", "2022-03-09", None, None,
     [event(actor("IGOUNO", "IGO", "IGO", name="United Nations"), actor("RUS", "RUS"), "REQUEST", "10", -5.0,
            trigger="called")]),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "q.duckdb"
    with Store(path) as s:
        s.add_articles([Article(t, date=dt.date.fromisoformat(d), outlet=o, url=u, source_ref=f"a{i}")
                        for i, (t, d, o, u, _) in enumerate(ARTICLES)])
        run_id = s.start_run("local", 1, "0.0-test", {"name": "en_test", "version": "1"})
        arts, _ = s.uncoded(0, 100)
        records = [{"id": a["article_id"], "outlet": ARTICLES[i][2], "date": ARTICLES[i][1],
                    "time": {"earliest": None, "latest": None, "basis": []}, "mentions": [], "events": ARTICLES[i][4],
                    "quotes": [], "warnings": []} for i, a in enumerate(arts)]
        s.save_coded(run_id, records, {a["article_id"]: a for a in arts})
        clusters.update(s)
    return path


def test_events_filter_by_country_type_date_and_status(store):
    with Store(store, read_only=True) as s:
        assaults = events(s, Filters(source="RUS", target="UKR", type="ASSAULT", since=dt.date(2022, 2, 24)))
        asserted = events(s, Filters(source="RUS", type="ASSAULT", status="asserted"))
        by_cameo = events(s, Filters(type="19"))
        dedup = events(s, Filters(source="RUS", type="ASSAULT", dedup=True))
    assert [e["source_code"] for e in assaults] == ["RUSMIL", "RUS", "RUSMIL"]
    assert len(asserted) == 2 and len(by_cameo) == 3
    assert assaults[0]["cluster_id"] == assaults[1]["cluster_id"] != assaults[2]["cluster_id"]
    assert assaults[0]["cluster_articles"] == 2 and assaults[0]["cluster_outlets"] == 2
    assert len(dedup) == 2 and dedup[0]["outlet"] == "Daily Planet"


def test_dyad_per_month_sums_goldstein_both_directions(store):
    with Store(store, read_only=True) as s:
        rows = dyad(s, "BLR", "RUS", by="month")
        directed = dyad(s, "RUS", "BLR", by="month", directed=True)
    assert rows == [{"period": "2022-05", "events": 2, "clusters": 2, "goldstein_sum": 2.0, "goldstein_mean": 1.0},
                    {"period": "2022-06", "events": 1, "clusters": 1, "goldstein_sum": 8.0, "goldstein_mean": 8.0}]
    assert [(r["period"], r["events"]) for r in directed] == [("2022-05", 1)]


def test_jsonl_export_follows_the_contract(store, tmp_path):
    with Store(store, read_only=True) as s:
        n = export(s, "jsonl", tmp_path / "e.jsonl", Filters(source="RUS", type="ASSAULT"))
    recs = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert n == 3 and len(recs) == 3
    first = recs[0]
    assert first["cameo"] == "194" and first["source"]["code"] == "RUSMIL" and first["location"]["name"] == "Kharkiv"
    assert first["outlet"] == "Daily Planet" and first["article_date"] == "2022-03-07" and first["article_id"]
    assert first["cluster"] == {"id": recs[1]["cluster"]["id"], "first_seen": "2022-03-07", "articles": 2,
                                "outlets": 2}
    assert set(ARTICLES[0][4][0]) <= set(first)        # every Event field, as coded


def test_gdelt_export_has_gdelt_2_columns_in_order(store, tmp_path):
    assert [name for name, _ in GDELT_COLUMNS] == GDELT_2 and len(GDELT_2) == 61
    with Store(store, read_only=True) as s:
        n = export(s, "gdelt", tmp_path / "e.tsv", Filters(source="RUS", type="ASSAULT", dedup=True))
        un = export(s, "gdelt", tmp_path / "un.tsv", Filters(source="IGO"))
    rows = [dict(zip(GDELT_2, line.split("\t"))) for line in (tmp_path / "e.tsv").read_text().splitlines()]
    assert n == 2 and all(len(r) == 61 for r in rows)
    r = rows[0]
    assert (r["Day"], r["MonthYear"], r["Year"], r["FractionDate"]) == ("20220307", "202203", "2022", "2022.1808")
    assert (r["Actor1Code"], r["Actor1CountryCode"], r["Actor1Type1Code"], r["Actor2Code"]) == ("RUSMIL", "RUS", "MIL", "UKR")
    assert (r["EventCode"], r["EventBaseCode"], r["EventRootCode"], r["QuadClass"]) == ("194", "194", "19", "4")
    assert (r["NumMentions"], r["NumSources"], r["NumArticles"]) == ("2", "2", "2")
    assert (r["ActionGeo_Type"], r["ActionGeo_FullName"], r["ActionGeo_CountryCode"]) == ("4", "Kharkiv, Ukraine", "UP")
    assert r["SOURCEURL"] == "https://planet.example/1" and re.fullmatch(r"\d{14}", r["DATEADDED"])
    igo = dict(zip(GDELT_2, (tmp_path / "un.tsv").read_text().rstrip("\n").split("\t")))
    assert un == 1 and (igo["Actor1CountryCode"], igo["Actor1KnownGroupCode"], igo["Actor1Type1Code"]) == ("", "UNO", "IGO")


def test_parquet_and_csv_exports_are_flat_tables(store, tmp_path):
    with Store(store, read_only=True) as s:
        assert export(s, "parquet", tmp_path / "e.parquet", Filters()) == 7
        assert export(s, "csv", tmp_path / "e.csv", Filters(type="CONSULT")) == 2
        assert export(s, "parquet", tmp_path / "none.parquet", Filters(source="XXX")) == 0
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 7 and {"event_json", "cluster_articles", "tidings_version"} <= set(table.column_names)
    assert table.column("tidings_version")[0].as_py() == "0.0-test"
    with (tmp_path / "e.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["source_code"] for r in rows} == {"BLR", "RUS"} and pq.read_table(tmp_path / "none.parquet").num_rows == 0


def cli():
    @click.group()
    def main():
        pass
    register(main)
    return main


def test_every_corpus_command_takes_db_and_has_help_with_an_example():
    main = cli()
    assert {c.name for c in COMMANDS} == {"ingest", "run", "code-parquet", "events", "dyad", "export", "failures"}
    for name in main.commands:
        r = CliRunner().invoke(main, [name, "--help"])
        assert r.exit_code == 0 and "Example" in r.output, name
        assert name == "code-parquet" or "--db" in r.output, name


def test_corpus_commands_are_documented():
    doc = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"tidings {command.name}" in doc, command.name
    for name in GDELT_2:
        assert f"`{name}`" in doc, name


def test_cli_events_dyad_and_export(store, tmp_path):
    main, run = cli(), CliRunner()
    r = run.invoke(main, ["events", "--db", str(store), "--source", "RUS", "--target", "UKR", "--type", "ASSAULT",
                          "--since", "2022-02-24", "--status", "asserted", "--format", "csv"])
    assert r.exit_code == 0 and len(r.output.strip().splitlines()) == 3 and "RUSMIL" in r.output
    r = run.invoke(main, ["dyad", "BLR", "RUS", "--by", "month", "--db", str(store), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output)[1]["goldstein_sum"] == 8.0
    r = run.invoke(main, ["dyad", "BLR", "RUS", "--db", str(store)])
    assert r.exit_code == 0 and r.output.splitlines()[0].split() == ["period", "events", "clusters", "goldstein_sum",
                                                                     "goldstein_mean"]
    r = run.invoke(main, ["export", "--db", str(store), "--format", "gdelt", "-o", str(tmp_path / "g.tsv")])
    assert r.exit_code == 0 and json.loads(r.output)["rows"] == 6        # 7 reports, one event twice
    r = run.invoke(main, ["events", "--db", str(store), "--status", "maybe"])
    assert r.exit_code == 2
    r = run.invoke(main, ["events", "--db", str(tmp_path / "nothing.duckdb")])
    assert r.exit_code == 1 and "no such store" in r.output


def test_gdelt_export_spells_sectors_as_cameo_does():
    from tidings.export import cameo_code
    assert cameo_code("USAJRN") == "USAMED" and cameo_code("AFGMED") == "AFGHLH"     # media, medical
    assert cameo_code("RUSGOVJRN") == "RUSGOVMED" and cameo_code("IMGMUSISI") == "IMGMUSISI"
    assert cameo_code("") is None
