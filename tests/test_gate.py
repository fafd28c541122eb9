"""The gold-set gate: dev-set scores may not drop below the figures pinned in tests/gate.json.

Raise a pinned figure when the coder improves (and update the README table); never lower one silently:
a lower figure needs a commit that says why.
"""
import json

import pytest

import tidings
from conftest import ARTIFACTS, ROOT, SHARED, score, write_jsonl

pytestmark = [pytest.mark.model, pytest.mark.eval]
GATE = json.loads((ROOT / "tests" / "gate.json").read_text())
TOLERANCE = 0.005


def coded(gold_name: str):
    gold = SHARED / "eval" / gold_name
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = tidings.code_records({"id": r["id"], "text": r["text"], "date": r.get("date")} for r in rows)
    pred = write_jsonl(ARTIFACTS / f"{gold.stem}.pred.jsonl",
                       [r if isinstance(r, dict) else r.as_dict() for r in results])
    return gold, pred


def headline(text: str) -> list[float]:
    return [float(x) for x in text.strip().splitlines()[-1].split() if x.replace(".", "", 1).isdigit()]


@pytest.fixture(scope="module")
def plover():
    return coded("plover_gsr.jsonl")


def test_plover_type_and_actor_f1_hold(plover):
    ft, fd = headline(score("plover", *plover))
    assert ft >= GATE["plover_type_f1"] - TOLERANCE, ft
    assert fd >= GATE["plover_type_actors_f1"] - TOLERANCE, fd


def test_plover_places_hold(plover):
    (acc,) = headline(score("places", *plover))
    assert acc >= GATE["places"] - TOLERANCE, acc


def test_case_detection_and_quiet_hold():
    det, quiet = headline(score("case", *coded("case2021_task2.jsonl")))
    assert det >= GATE["case_detection"] - TOLERANCE, det
    assert quiet >= GATE["case_quiet"] - TOLERANCE, quiet


def test_status_holds():
    right, kept = headline(score("status", *coded("status.jsonl")))
    assert right >= GATE["status_right"] - TOLERANCE, right
    assert kept >= GATE["status_kept_out"] - TOLERANCE, kept


def test_actor_resolution_holds():
    from tidings.resolver import resolve_records
    gold = SHARED / "eval" / "actor_resolution.jsonl"
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = resolve_records({"id": r["id"], "text": r["query"], "date": r.get("query_date")} for r in rows)
    pred = write_jsonl(ARTIFACTS / "actor_resolution.pred.jsonl", results)
    country, sector = headline(score("actors", gold, pred))
    assert country >= GATE["actors_country"] - TOLERANCE, country
    assert sector >= GATE["actors_sector"] - TOLERANCE, sector


def test_quotes_hold():
    f1, source = headline(score("quotes", *coded("polnear_dev.jsonl")))
    assert f1 >= GATE["quotes_content_f1"] - TOLERANCE, f1
    assert source >= GATE["quotes_source"] - TOLERANCE, source
