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


def holds(kind: str, gold_pred, *keys: str) -> None:
    """The headline figures of ``score.py KIND`` are at or above their pins in gate.json."""
    got = headline(score(kind, *gold_pred))
    for key, value in zip(keys, got):
        assert value >= GATE[key] - TOLERANCE, (key, value, GATE[key])


def test_plover_type_and_actor_f1_hold(plover):
    holds("plover", plover, "plover_type_f1", "plover_type_actors_f1")


def test_plover_places_hold(plover):
    holds("places", plover, "places")


def test_case_detection_and_quiet_hold():
    holds("case", coded("case2021_task2.jsonl"), "case_detection", "case_quiet")


def test_status_holds():
    holds("status", coded("status.jsonl"), "status_right", "status_kept_out")


def test_actor_resolution_holds():
    from tidings.resolver import resolve_records
    gold = SHARED / "eval" / "actor_resolution.jsonl"
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = resolve_records({"id": r["id"], "text": r["query"], "date": r.get("query_date"), "context": r.get("query_context")} for r in rows)
    pred = write_jsonl(ARTIFACTS / "actor_resolution.pred.jsonl", results)
    holds("actors", (gold, pred), "actors_country", "actors_sector")


def test_quotes_hold():
    holds("quotes", coded("polnear_dev.jsonl"), "quotes_content_f1", "quotes_source")
