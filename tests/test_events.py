"""Events: CAMEO/PLOVER triggers, actors, pairs (real spaCy pipeline)."""
import pytest

import tidings
from conftest import events_of

pytestmark = pytest.mark.model


def codes(text, date=None):
    return events_of(tidings.code(text, date=date))


def has(events, plover, source=None, target=None, status=None):
    return any(e[0] == plover and (source is None or (e[2] or "").startswith(source))
               and (target is None or (e[3] or "").startswith(target))
               and (status is None or e[4] == status) for e in events)


def test_verb_with_object_hold_talks_is_consult():
    assert has(codes("Egypt held talks with Jordan on Sunday."), "CONSULT", "EGY", "JOR")


def test_impose_sanctions_on_is_coerce_with_target():
    assert has(codes("The United States imposed sanctions on Iran."), "COERCE", "USA", "IRN")


def test_launch_strikes_is_assault():
    assert has(codes("Israel launched airstrikes on Lebanon."), "ASSAULT", "ISR", "LBN")


def test_passive_voice_swaps_roles():
    assert has(codes("Ukrainian soldiers were attacked by Russian forces."), "ASSAULT", "RUSMIL", "UKRMIL")


def test_compound_subject_of_reciprocal_verb_gives_both_directions():
    ev = codes("Belarus and Russia are aligning on defense matters.")
    assert has(ev, "COOPERATE", "BLR", "RUS") and has(ev, "COOPERATE", "RUS", "BLR")


def test_compound_target_gives_one_event_per_pair():
    ev = codes("Palestinian leader Yasser Arafat defended Iraq and Libya on Friday.")
    assert has(ev, "SUPPORT", "PSE", "IRQ") and has(ev, "SUPPORT", "PSE", "LBY")


def test_nominal_trigger_in_a_discussion_with():
    ev = codes("In a discussion with the Russian defence minister, Belarusian officials stated their views.")
    assert has(ev, "CONSULT", "BLRGOV", "RUS")


def test_event_record_carries_goldstein_quad_and_exact_trigger_span():
    text = "Russian troops shelled Ukrainian positions."
    rec = tidings.code(text)
    e = next(e for e in rec["events"] if e["plover"] == "ASSAULT")
    assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"] == "shelled"
    assert e["goldstein"] == -10.0 and e["quad_class"] == 4 and e["cameo"].startswith("19")


def test_disaster_without_perpetrator_is_not_an_assault():
    ev = codes("A powerful earthquake killed 40 people in eastern Turkey on Monday.")
    assert not has(ev, "ASSAULT")


# --- targets and sources from context (sentences written for these tests)

def test_target_found_past_the_object_phrase():
    events = codes("Thousands of students blocked roads in Caracas in defiance of Venezuelan authorities.")
    assert has(events, "PROTEST", target="VEN")


def test_threat_targets_the_subject_of_its_unless_clause():
    events = codes("Iran threatened to launch a new offensive unless Baghdad accepted its conditions.")
    assert has(events, "THREATEN", "IRN", "IRQ")


def test_time_clauses_give_no_target():
    events = codes("Israel reimposed a closure on the town following the deaths of two Egyptians.")
    assert not any((e[3] or "").startswith("EGY") for e in events)


def test_violence_with_no_perpetrator_comes_from_where_it_happened():
    events = codes("A roadside bomb near Kandahar killed two Canadian soldiers on Monday.")
    assert has(events, "ASSAULT", "AFG", "CAN")


def test_a_statement_that_another_actor_must_act_is_a_demand():
    events = codes("The Red Cross said Ethiopian forces must allow aid convoys into Tigray.")
    assert has(events, "REQUEST", "NGO", "ETH")


def test_sector_word_describing_an_activity_is_no_actor():
    rec = tidings.code("Russia began a military offensive near Kharkiv.")
    assert all(m["text"] != "military" for m in rec["mentions"])


def test_country_inside_a_noun_phrase_places_the_group():
    rec = tidings.code("Ankara's Cankaya district administration denied the request.")
    assert any(m["text"].endswith("administration") and m["code"] == "TURGOV" for m in rec["mentions"])


def test_what_is_withdrawn_from_is_the_target():
    events = codes("Nigeria withdrew its peacekeeping force from Chad on Monday.")
    assert any(e[2] and e[2].startswith("NGA") and (e[3] or "").startswith("TCD") for e in events)


def test_officials_acting_in_a_place_are_of_its_country():
    events = codes("Officials imposed a curfew in Algiers after the riots.")
    assert any((e[2] or "").startswith("DZA") for e in events)


def test_politicians_battling_is_no_fighting_but_troops_fighting_is_both_ways():
    assert not codes("The battle between Rubio and Chris Christie is about who can win New Hampshire.")
    events = codes("Fighting between Russian troops and Ukrainian forces continued near Bakhmut.")
    assert has(events, "ASSAULT", "RUSMIL", "UKRMIL") and has(events, "ASSAULT", "UKRMIL", "RUSMIL")


def test_parties_and_legislators_firing_back_is_words_but_troops_firing_back_is_fighting():
    assert not any(e[0] == "ASSAULT" for e in codes("Local politicians fired back at Trump on Monday."))
    assert has(codes("Troops fired back at the gunmen in Kabul."), "ASSAULT", "---MIL", "AFG")


def test_meeting_a_standard_and_fighting_a_disease_are_no_events():
    assert not codes("Cruz met the criteria, the board said.")
    assert not any(e[0] == "ASSAULT" for e in codes("The administration vowed to combat the epidemic."))
    assert has(codes("Putin met Lukashenko in Minsk."), "CONSULT", "RUSGOV", "BLRGOV")
    assert has(codes("Rebels fought a fierce battle with the army near Aleppo."), "ASSAULT", "SYRREB")


def test_attacks_in_words_are_criticism_and_attacks_by_states_or_gunmen_stay_attacks():
    assert has(codes("Trump attacked Bill Clinton over his scandals.", "2016-05-01"), "ACCUSE", "USA", "USAELI")
    assert has(codes("Trump attacked the media on Monday.", "2019-05-01"), "ACCUSE", "USAGOV", "---JRN")
    assert has(codes("Russia attacked Ukraine on Thursday."), "ASSAULT", "RUS", "UKR")
    assert has(codes("Gunmen attacked journalists in Kabul."), "ASSAULT", "AFG", "AFGJRN")
    assert has(codes("Stockley shot Smith after Smith fled."), "ASSAULT")      # shooting is never a metaphor


def test_naming_with_call_is_no_phone_call_and_a_time_is_no_call_on():
    assert not codes("They paid a company called Cambridge Analytica.")
    assert not codes("De Blasio called Trump a blowhard.")
    got = codes("Putin called Erdogan on Tuesday.", "2020-01-01")
    assert has(got, "CONSULT", "RUSGOV", "TURGOV") and not has(got, "REQUEST")
    assert has(codes("Protesters calling for the release of detained activists marched in Minsk."), "REQUEST")


def test_releasing_tapes_rallying_a_party_and_mobilizing_voters_are_no_events():
    assert not codes("Trump should release the tapes.")
    assert has(codes("Hamas released two hostages."), "RETREAT", "PSE")
    assert not codes("The speech rallied the Republican Party.")
    assert has(codes("Thousands of Sudanese protesters rallied across the country on Saturday."), "PROTEST", "SDN")
    assert not codes("The candidate hopes to mobilize voters.")
    assert has(codes("Russia mobilized reservists."), "MOBILIZE", "RUS")


def test_a_state_is_not_both_sides_of_an_event_in_its_own_territory():
    events = codes("Obama paid the first visit to Ethiopia by a sitting American president.", "2016-05-01")
    assert not any(e[2] == e[3] for e in events)


def test_a_weapon_something_is_done_with_is_no_target():
    assert has(codes("Russia pounded Kharkiv, Ukraine's second largest city, with artillery.", "2022-03-07"),
               "ASSAULT", "RUS", "UKR")
    events = codes("Russia attacked Kyiv with Kinzhal missiles on Monday.", "2024-01-01")
    assert has(events, "ASSAULT", "RUS", "UKR") and not any((e[3] or "").startswith("RUSMIL") for e in events)


def test_the_place_an_event_acts_on_is_its_location_and_human_shields_are_cameo_184():
    got = tidings.code("Angry French paper workers blocked the Europe Bridge for three hours.", date="2000-01-01")
    assert got["events"] and got["events"][0]["location"]["name"] == "Europe Bridge"
    events = codes("The army has been holding thousands of civilians as human shields near Jaffna, rebels said.")
    assert any(e[1] == "184" for e in events)      # CAMEO "use as human shield", PLOVER 2021 ASSAULT


def test_concessions_mobilization_and_requests_to_meet_from_the_codebook():
    assert has(codes("Ecuador suspended the protests planned for Monday."), "CONCEDE", "ECU")
    assert has(codes("The speaker made concessions to the European Union."), "CONCEDE")
    assert any(e[1] == "0871" for e in codes("The army said it had declared a temporary cease-fire in the war."))
    assert has(codes("The Serbian army called up a new group of volunteers."), "MOBILIZE", "SRBMIL")
    assert has(codes("Togo's president has requested talks with Raul Castro.", "2020-01-01"), "REQUEST", "TGOGOV", "CUBGOV")
    assert not has(codes("Some 500,000 workers stopped work on the first day of a strike."), "CONCEDE")


def test_campaign_targeting_seizing_on_reports_and_events_named_after_a_city_are_no_violence():
    assert not codes("Clinton targeted Americans in the ad.", "2016-10-10")
    assert not codes("McCaul was seizing on the Fox News report.", "2016-10-10")
    assert not tidings.code("The Paris attacks shocked Europe.", date="2015-11-20")["mentions"]
    assert has(codes("Troops targeted rebels near Aleppo."), "ASSAULT", "---MIL", "SYRREB")


def test_demonstrating_resolve_and_hurting_an_economy_are_no_protest_or_assault():
    assert not codes("The United States must demonstrate resolve to North Korea.", "2016-09-10")
    assert has(codes("Thousands demonstrated in Minsk.", "2020-09-10"), "PROTEST", "BLR")
    assert not codes("Tariffs hurt American farmers, Trump said.", "2019-01-01")
    assert has(codes("Police beat protesters in Minsk.", "2020-09-10"), "ASSAULT", "BLRCOP", "BLROPP")
