"""The seed article, scored by ../shared/eval/score.py seed."""
import pytest

from conftest import ARTIFACTS, SHARED, score, write_jsonl

pytestmark = pytest.mark.model

# All twelve checks of ../shared/seed/expected.json.
REQUIRED = ["lukashenko", "shoigu", "poroshenko", "meeting", "alignment", "kyiv-mobilizes-as-claim",
            "no-war-is-negated", "quote-no-conflict", "quote-he-asserted", "minsk-agreements-not-belarus",
            "outlet", "dated-by-roles"]


def test_seed_checks_pass(seed_record):
    pred = write_jsonl(ARTIFACTS / "seed.pred.jsonl", [seed_record])
    import subprocess, sys
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "seed", str(pred)],
                         capture_output=True, text=True).stdout
    passed = {line.split()[1].rstrip(":") for line in out.splitlines() if line.startswith("PASS")}
    missing = [c for c in REQUIRED if c not in passed]
    assert not missing, out


def test_seed_outlet_tags_are_not_coded_as_text(seed_record):
    for m in seed_record["mentions"]:
        assert "DEA" not in m["text"]
