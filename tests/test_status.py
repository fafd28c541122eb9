"""Status: asserted, reported (with speaker), negated, hypothetical."""
import pytest

import tidings

pytestmark = pytest.mark.model


def first(text, plover):
    rec = tidings.code(text)
    return next(e for e in rec["events"] if e["plover"] == plover)


def test_plain_statement_is_asserted():
    assert first("Egypt held talks with Jordan.", "CONSULT")["status"] == "asserted"


def test_did_not_is_negated():
    assert first("Washington did not impose sanctions on Turkey.", "COERCE")["status"] == "negated"


def test_modal_is_hypothetical():
    assert first("Russia could attack Ukraine.", "ASSAULT")["status"] == "hypothetical"


def test_threat_governing_verb_makes_inner_event_hypothetical():
    rec = tidings.code("Iran threatened to attack Israel.")
    assert any(e["plover"] == "THREATEN" and e["status"] == "asserted" for e in rec["events"])
    assert all(e["status"] == "hypothetical" for e in rec["events"] if e["plover"] == "ASSAULT")


def test_speech_verb_makes_the_claim_reported_by_the_speaker():
    e = first("Belarusian officials said Ukraine attacked Russia.", "ASSAULT")
    assert e["status"] == "reported" and e["reported_by"]["code"] == "BLRGOV"


def test_pronoun_speaker_is_resolved_to_the_last_person():
    text = "Aleksandr Lukashenko spoke in Minsk. He said that Russia attacked Ukraine."
    e = first(text, "ASSAULT")
    assert e["status"] == "reported" and e["reported_by"]["name"] == "Aleksandr Lukashenko"


def test_according_to_makes_it_reported():
    e = first("Russia attacked Ukraine, according to NATO.", "ASSAULT")
    assert e["status"] == "reported" and e["reported_by"]["country"] == "IGO"


def test_neither_nor_subject_negates():
    rec = tidings.code("Neither Russia nor Belarus attacked Ukraine.")
    assert all(e["status"] == "negated" for e in rec["events"] if e["plover"] == "ASSAULT")


def test_event_inside_a_direct_quote_is_reported_by_the_speaker():
    text = "“Our army shelled the enemy positions near Bakhmut yesterday,” the Ukrainian general told reporters."
    e = first(text, "ASSAULT")
    assert e["status"] == "reported" and e["reported_by"]["text"] == "Ukrainian general"


def test_not_allowing_an_attack_is_no_attack():
    rec = tidings.code("“We will not allow Russian troops to attack Kyiv,” Zelensky said.")
    assert all(e["status"] in {"hypothetical", "negated"} for e in rec["events"] if e["plover"] == "ASSAULT")


def test_a_meeting_in_the_frame_of_a_statement_is_the_outlets_own():
    e = first("In a discussion with Egypt's foreign minister, Jordanian officials stated their views.", "CONSULT")
    assert e["status"] == "asserted"


def test_refusing_to_cooperate_is_a_rejection_that_happened():
    e = first("Russia refused to meet Ukrainian negotiators in Geneva.", "REJECT")
    assert e["status"] == "asserted" and e["source"]["country"] == "RUS"
    rec = tidings.code("Hungary did not accept the refugees.")
    assert any(e["plover"] == "REJECT" and e["status"] == "asserted" for e in rec["events"])


def test_refused_conflict_is_still_negated_not_rejected():
    rec = tidings.code("Washington did not impose sanctions on Turkey.")
    assert [e["plover"] for e in rec["events"]] == ["COERCE"] and rec["events"][0]["status"] == "negated"
