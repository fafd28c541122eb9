"""Quotes: direct and indirect attributions, their speakers and exact offsets."""
from pathlib import Path

import pytest

import tidings
from tidings.quotes import quote_marks

pytestmark = pytest.mark.model


def quotes_of(text: str) -> list[dict]:
    return tidings.code(text)["quotes"]


def quote_with(text: str, words: str) -> dict:
    """The one quote whose content holds ``words``."""
    found = [q for q in quotes_of(text) if words in q["content"]["text"]]
    assert len(found) == 1, found
    return found[0]


def test_curly_direct_quote_with_speaker_after_it():
    text = "Aleksandr Lukashenko spoke in Minsk. “We will not retreat from our borders,” Lukashenko said."
    q = quote_with(text, "retreat")
    assert q["kind"] == "direct"
    assert q["content"]["text"] == "We will not retreat from our borders"
    assert q["cue"]["text"] == "said"
    assert q["speaker"]["name"] == "Aleksandr Lukashenko" and q["speaker"]["code"] == "BLRGOV"


def test_direct_quote_spanning_two_sentences_is_one_quote():
    text = "“Russia is our ally. We will defend it together,” said Aleksandr Lukashenko."
    q = quote_with(text, "Russia is our ally")
    assert q["content"]["text"] == "Russia is our ally. We will defend it together"
    assert q["speaker"]["name"] == "Aleksandr Lukashenko"


def test_quote_interrupted_by_its_attribution_is_one_quote():
    text = '"The talks failed," the minister said, "and we will leave."'
    q = quote_with(text, "talks failed")
    assert q["content"]["text"].endswith("and we will leave.")
    assert q["speaker"]["text"] == "minister" and q["speaker"]["name"] is None


def test_quote_continued_in_the_next_paragraph_is_one_quote():
    text = "Lukashenko spoke at length.\n\n«We are ready for talks.\n\n«But we will not accept an ultimatum», he said."
    q = quote_with(text, "ready for talks")
    assert "ultimatum" in q["content"]["text"]
    assert q["speaker"]["name"] == "Aleksandr Lukashenko"


def test_partial_quote_keeps_its_speaker_and_stays_inside_its_clause():
    text = "Aleksandr Lukashenko called the sanctions “economic warfare” and left the hall."
    q = quote_with(text, "economic warfare")
    assert q["speaker"]["name"] == "Aleksandr Lukashenko" and q["cue"]["text"] == "called"
    assert "left the hall" not in q["content"]["text"]


def test_indirect_said_that_gives_the_complement_clause():
    q = quote_with("Belarusian officials said that Ukraine was preparing an offensive.", "Ukraine")
    assert q["kind"] == "indirect"
    assert q["content"]["text"] == "that Ukraine was preparing an offensive"
    assert q["speaker"]["text"] == "Belarusian officials" and q["speaker"]["code"] == "BLRGOV"


def test_indirect_quote_with_date_between_verb_and_clause():
    q = quote_with("Sergei Shoigu said on Monday that the drills would end soon.", "drills")
    assert q["content"]["text"] == "that the drills would end soon"
    assert q["speaker"]["name"] == "Sergei Shoigu"


def test_speech_verb_after_the_clause():
    q = quote_with("Russian troops have left the border area, a ministry spokesman said.", "troops")
    assert q["content"]["text"] == "Russian troops have left the border area"
    assert "spokesman" in q["speaker"]["text"]


def test_according_to_makes_the_rest_of_the_sentence_the_content():
    q = quote_with("Russian troops crossed the border on Monday, according to Ukrainian officials.", "troops")
    assert q["cue"]["text"] == "according to"
    assert q["content"]["text"] == "Russian troops crossed the border on Monday"
    assert q["speaker"]["text"] == "Ukrainian officials" and q["speaker"]["country"] == "UKR"


def test_pronoun_speaker_is_resolved_but_points_at_the_pronoun():
    text = "Aleksandr Lukashenko spoke in Minsk on Monday. He said that Belarus remains a reliable partner."
    q = quote_with(text, "reliable partner")
    assert q["speaker"]["text"] == "He" and q["speaker"]["start"] == text.index("He said")
    assert q["speaker"]["name"] == "Aleksandr Lukashenko" and q["speaker"]["code"] == "BLRGOV"


def test_unknown_speaker_phrase_has_offsets_and_no_identity():
    q = quote_with("Two kayakers on the river said the bridge had collapsed.", "bridge")
    assert q["speaker"]["text"] == "Two kayakers on the river"
    assert (q["speaker"]["name"], q["speaker"]["kb_id"], q["speaker"]["code"]) == (None, None, "")


def test_scare_quotes_without_a_speech_verb_are_not_quotes():
    assert quotes_of("The so-called “peace plan” was published in Minsk on Monday.") == []


def test_offsets_are_exact():
    text = ("Aleksandr Lukashenko spoke in Minsk. “We will not retreat,” he said, “and we will not attack.”\n\n"
            "Belarusian officials said on Tuesday that talks would resume, according to state media. "
            "\"Nothing is decided,\" a ministry spokesman told reporters.")
    quotes = quotes_of(text)
    assert len(quotes) >= 4
    for q in quotes:
        for span in (q["content"], q["cue"], q["speaker"]):
            assert text[span["start"]:span["end"]] == span["text"]


def test_quote_marks_pair_straight_curly_typewriter_and_guillemets():
    text = 'A "one" B “two” C \'\'three\'\' D «four» E don’t ‘five’'
    assert [text[m.inner_start:m.inner_end] for m in quote_marks(text)] == ["one", "two", "three", "four", "five"]


def test_seed_article_quotes(seed_record):
    text = (Path(__file__).resolve().parents[1] / "tidings" / "example" / "article.txt").read_text(encoding="utf-8")
    quotes = seed_record["quotes"]
    said = {text[q["content"]["start"]:q["content"]["end"]]: (q["speaker"] or {}).get("name") for q in quotes}
    assert any("neither Minsk nor Moscow seeks conflict" in c and n == "Aleksandr Lukashenko"
               for c, n in said.items())
    assert any("Belarus remains a reliable partner for Russia" in c and n == "Aleksandr Lukashenko"
               for c, n in said.items())
