"""The shipped data files load, and every code they use exists."""
import datetime as dt

import pytest

from tidings.cameo import PLOVER_TYPES, codebook, lookup
from tidings.data import read_table, split_list
from tidings.errors import DataFileError
from tidings.kb import KnowledgeBase, parse_day
from tidings.lexicon import noun_patterns, verb_patterns


def test_codebook_has_all_20_roots_with_plover_types():
    book = codebook()
    roots = {c[:2] for c in book}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    assert lookup("043").plover == "CONSULT" and lookup("043").goldstein == 2.8
    assert lookup("190").quad_class == 4
    assert {c.plover for c in book.values() if c.plover} <= set(PLOVER_TYPES)


def test_lexicons_cover_every_cameo_root_from_02_to_20():
    codes = {p.cameo[:2] for pats in verb_patterns().values() for p in pats}
    codes |= {p.cameo[:2] for p in noun_patterns().values()}
    assert {f"{i:02d}" for i in range(2, 21)} <= codes


def test_verb_patterns_sorted_most_specific_first():
    pats = verb_patterns()["hold"]
    assert [p.specificity for p in pats] == sorted((p.specificity for p in pats), reverse=True)


def test_parse_day_widens_partial_dates_and_marks_uncertainty():
    assert parse_day("2014") == (dt.date(2014, 1, 1), False)
    assert parse_day("2014-02", end=True) == (dt.date(2014, 2, 28), False)
    assert parse_day("2019-05-20?") == (dt.date(2019, 5, 20), True)
    assert parse_day("") == (None, False)


def test_read_table_skips_comments_and_pads_short_rows(tmp_path):
    f = tmp_path / "t.tsv"
    f.write_text("# comment\na\tb\tc\n1\t2\n# more\n3\t4\t5|6\n", encoding="utf-8")
    rows = list(read_table(f))
    assert [r["c"] for r in rows] == ["", "5|6"]
    assert split_list(rows[1]["c"]) == ["5", "6"]


def test_overlay_adds_and_overrides_persons(tmp_path):
    kb = KnowledgeBase.load()
    f = tmp_path / "mine.tsv"
    f.write_text("kb_id\tname\taliases\tcountry\tsector\trole\ttitle\tstart\tend\tnote\n"
                 "tid:jane-roe\tJane Roe\tRoe\tBLR\tGOV\tFM\tForeign Minister\t2030-01-01\tpresent\t\n",
                 encoding="utf-8")
    kb.add_overlay(f)
    assert kb.persons["tid:jane-roe"].roles[0].active_on(dt.date(2031, 1, 1))
    assert "Jane Roe" in [p.name for p in kb.holders("BLR", "FM", dt.date(2031, 1, 1))]
    assert "Jane Roe" not in [p.name for p in kb.holders("BLR", "FM", dt.date(2029, 1, 1))]


def test_overlay_with_unknown_columns_is_a_clear_error(tmp_path):
    f = tmp_path / "bad.tsv"
    f.write_text("foo\tbar\n1\t2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="E201"):
        KnowledgeBase().add_overlay(f)


def test_verb_rows_keep_notes_out_of_the_word_columns():
    """A note typed one tab too early becomes a context that no sentence has (the row never fires)."""
    from tidings.data import data_path, read_table, split_list
    for row in read_table(data_path("lexicon", "verbs.tsv")):
        for col in ("verb", "particle", "object", "context"):
            assert all(len(w.split()) <= 2 for w in split_list(row[col])), f"{row['_where']}: {col} {row[col]!r}"


def test_agent_rows_put_roles_and_plural_flags_in_their_columns():
    from tidings.data import data_path
    for row in read_table(data_path("lexicon", "agents.tsv")):
        assert row["role"] in {"", "HOS", "HOG", "FM", "DM", "VP"}, f"{row['_where']}: role {row['role']!r}"
        assert row.get("plural", "") in {"", "no"}, f"{row['_where']}: plural {row['plural']!r}"
        assert row["sector"].isupper() and len(row["sector"]) == 3, f"{row['_where']}: sector {row['sector']!r}"
