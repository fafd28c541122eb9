from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def nlp():
    from tidings import nlp as nlp_mod
    return nlp_mod.load()


@pytest.fixture(scope="session")
def seed_record():
    import tidings
    text = (ROOT / "tidings" / "example" / "article.txt").read_text(encoding="utf-8")
    return tidings.code(text, id="article")


def events_of(record: dict) -> list[tuple]:
    """(plover, cameo, source code, target code, status) of each event."""
    return [(e["plover"], e["cameo"], (e["source"] or {}).get("code"), (e["target"] or {}).get("code"),
             e["status"]) for e in record["events"]]


def score(kind: str, gold: Path, pred: Path) -> str:
    return subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), kind, str(gold), str(pred)],
                          capture_output=True, text=True, check=False).stdout


def write_jsonl(path: Path, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path
