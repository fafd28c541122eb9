"""The Python API: public surface, contract shape, streaming batches, bad records."""
import pytest

import tidings
from tidings import RecordError

pytestmark = pytest.mark.model

CONTRACT_KEYS = {"id", "outlet", "date", "time", "mentions", "events", "quotes", "warnings"}
EVENT_KEYS = {"sentence", "trigger", "cameo", "plover", "plover_mode", "plover_context", "goldstein",
              "quad_class", "source", "target", "status", "reported_by", "location", "when", "confidence"}


def test_public_surface_is_listed():
    for name in tidings.__all__:
        assert hasattr(tidings, name)
    assert {"code", "code_records", "RecordError"} <= set(tidings.__all__)


def test_code_returns_a_contract_record(seed_record):
    assert CONTRACT_KEYS <= set(seed_record)
    assert seed_record["events"] and all(EVENT_KEYS <= set(e) for e in seed_record["events"])
    assert set(seed_record["time"]) == {"earliest", "latest", "basis"}


def test_all_spans_point_at_exact_offsets(seed_record):
    from tidings.cli import EXAMPLE
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = [m for m in seed_record["mentions"]]
    for e in seed_record["events"]:
        spans += [e["trigger"]] + [a for a in (e["source"], e["target"], e["reported_by"]) if a]
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"]


def test_date_is_echoed_and_accepts_compact_form():
    assert tidings.code("Egypt held talks with Jordan.", date="20240107")["date"] == "2024-01-07"


def test_bad_records_fail_alone_and_keep_their_place():
    items = [{"id": 1, "text": "Egypt held talks with Jordan."}, {"id": 2, "text": ""},
             {"text": "no id"}, {"id": 4, "text": "Israel launched airstrikes on Lebanon."},
             {"id": 5, "text": "x" * 300_000}, {"id": 6, "text": "Egypt met Jordan.", "date": "May 5"}]
    out = list(tidings.code_records(items))
    assert len(out) == 6
    assert [isinstance(r, RecordError) for r in out] == [False, True, True, False, True, True]
    assert [r.code for r in out if isinstance(r, RecordError)] == ["E102", "E105", "E104", "E106"]
    assert out[3]["id"] == 4 and out[3]["events"]


def test_non_english_text_is_refused_with_reason():
    with pytest.raises(RecordError, match="E103"):
        tidings.code("Правительство Беларуси заявило в понедельник, что проведет переговоры с Россией.")


def test_two_workers_give_the_same_records_as_one():
    items = [{"id": i, "text": t} for i, t in enumerate(
        ["Egypt held talks with Jordan.", "Israel launched airstrikes on Lebanon.", "",
         "Russian troops shelled Ukrainian positions."] * 5)]
    one = [r if isinstance(r, dict) else r.code for r in tidings.code_records(items, workers=1)]
    two = [r if isinstance(r, dict) else r.code for r in tidings.code_records(items, workers=2)]
    assert one == two
