"""Outlet and dateline detection (no model needed)."""
from tidings.outlet import find_meta


def test_trailing_tags_name_the_outlet_and_are_marked_as_metadata():
    text = "Belarus held talks with Russia. (DEA News)\nMore text here. (DEA News)"
    outlet, spans, _ = find_meta(text)
    assert outlet == "DEA News"
    assert [text[s:e] for s, e in spans] == ["(DEA News)", "(DEA News)"]


def test_wire_dateline_gives_outlet_and_place():
    text = "MINSK, Dec 3 (Reuters) - Belarus said on Friday it would hold talks."
    outlet, spans, place = find_meta(text)
    assert outlet == "Reuters"
    assert text[place[0]:place[1]] == "MINSK"
    assert text[spans[0][0]:spans[0][1]].startswith("MINSK, Dec 3 (Reuters) -")


def test_dateline_without_date_and_sign_off():
    assert find_meta("KYIV (AP) — Ukraine said.")[0] == "AP"
    assert find_meta("x " * 150 + "— AP")[0] == "AP"


def test_parenthesised_words_inside_sentences_are_not_outlets():
    outlet, spans, _ = find_meta("The Organization (which met on Monday) agreed. Photo (File)")
    assert outlet is None
