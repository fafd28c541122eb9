"""Scale-out: the Ray engine (an actor pool, the pipeline loaded once per actor) writes the same records as
the local engine, on a small sharded Parquet fixture (two files, 16 articles, one not English)."""
import json

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from tidings.ingest import ingest
from tidings.scale import code_parquet, run
from tidings.store import Store

pytestmark = pytest.mark.model
SHARDS = ROOT / "tests" / "fixtures" / "corpus" / "shards"


def coded(store) -> dict:
    rows = store.rows("SELECT a.source_id, c.ok, c.record, c.error_code FROM codings c JOIN articles a USING (article_id)")
    return {r["source_id"]: (json.loads(r["record"]) if r["ok"] else r["error_code"]) for r in rows}


@pytest.mark.filterwarnings("ignore")       # Ray's own deprecation and resource warnings
def test_ray_engine_writes_the_same_records_as_the_local_engine(tmp_path):
    import ray
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with Store(tmp_path / "ray.duckdb") as store:
            ingest([str(SHARDS)], store)
            summary = run(store, engine="ray", workers=2)
            on_ray = coded(store)
            events_ray = store.scalar("SELECT count(*) FROM events")
            runs = store.rows("SELECT engine, workers, coded, failed FROM runs")
    finally:
        ray.shutdown()
    with Store(tmp_path / "local.duckdb") as store:
        ingest([str(SHARDS)], store)
        run(store, workers=1)
        local = coded(store)
        events_local = store.scalar("SELECT count(*) FROM events")
    assert (summary.coded, summary.failed) == (15, 1) and len(on_ray) == 16
    assert on_ray == local and on_ray["ru-1"] == "E103"
    assert events_ray == events_local > 15
    assert runs == [{"engine": "ray", "workers": 2, "coded": 15, "failed": 1}]
    assert not (tmp_path / "ray.duckdb.work").exists()


def test_code_parquet_writes_records_as_json_columns(tmp_path):
    n = code_parquet([str(SHARDS)], tmp_path / "out", engine="local")
    rows = [r for p in sorted((tmp_path / "out").glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    assert n == 16 and [r["id"] for r in rows][:2] == ["kharkiv-planet", "kharkiv-meridian"]
    first = json.loads(rows[0]["record"])
    assert first["id"] == "kharkiv-planet" and first["events"][0]["plover"] == "ASSAULT"
    assert [(r["id"], r["error_code"]) for r in rows if r["record"] is None] == [("ru-1", "E103")]
