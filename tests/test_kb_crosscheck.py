"""Our persons against PETRARCH's Phoenix dictionaries: every disagreement must be explained in a
data-file comment (rules in tests/crosscheck.py)."""
from pathlib import Path

from conftest import ROOT, SHARED
from crosscheck import disagreements

PHOENIX = SHARED / "reference" / "phoenix" / "phoenix_actors_parsed.jsonl"
PERSONS = ROOT / "tidings" / "data" / "kb" / "persons"


def test_every_disagreement_with_phoenix_is_explained():
    matched, unexplained, explained = disagreements(PERSONS, PHOENIX)
    assert matched > 1000, "the name matching broke: too few persons matched"
    assert not unexplained, "\n".join(unexplained)


def test_checker_flags_an_unexplained_wrong_start(tmp_path):
    folder = tmp_path / "persons"
    folder.mkdir()
    (folder / "x.tsv").write_text(
        "kb_id\tname\taliases\tcountry\tsector\trole\ttitle\tstart\tend\tnote\n"
        "tid:p\tPetro Poroshenko\t\tUKR\tGOV\tFM\tForeign Minister\t2009-06-15\t2010-03-11\t\n",
        encoding="utf-8")
    _, unexplained, _ = disagreements(folder, PHOENIX)
    assert any("Poroshenko" in u for u in unexplained)
    (folder / "x.tsv").write_text(
        "kb_id\tname\taliases\tcountry\tsector\trole\ttitle\tstart\tend\tnote\n"
        "# Phoenix disagrees: test\n"
        "tid:p\tPetro Poroshenko\t\tUKR\tGOV\tFM\tForeign Minister\t2009-06-15\t2010-03-11\t\n",
        encoding="utf-8")
    assert not disagreements(folder, PHOENIX)[1]
