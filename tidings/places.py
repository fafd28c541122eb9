"""Where each event happened: the place its sentence gives ("in Donetsk", "near the town of Rafah",
"in northern Syria"), resolved offline. Places used as actors are not locations.
"""
from __future__ import annotations

from dataclasses import replace
from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .data import data_path, read_words
from .geo import ascii_name, default_gazetteer

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# "the town of Gorazde", "province of Herat": the place phrase includes its kind
PLACE_KINDS = {"town", "city", "village", "province", "region", "district", "capital", "enclave", "port",
               "state", "county", "area", "island", "peninsula", "strip"}
# "a residential sector of eastern Beirut", "the outskirts of Kyiv": parts of a place
PART_WORDS = read_words(data_path("lexicon", "place_parts.txt"))
PLACE_PARTS = PLACE_KINDS | PART_WORDS
# "northern Syria", "Western Cambodia": the direction is part of the text, not of the place's name
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
              "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
              "north-western", "south-eastern", "south-western", "upper", "lower"}


def place_candidates(doc: Doc, sent: Span, locative: set[str]) -> list[Span]:
    """Places of a sentence that stand after a locative preposition ("in Donetsk"), after "of" in a
    place phrase ("the outskirts of Kyiv") or after "to" a movement ("sent troops to Bosnia"): place
    entities, and proper nouns the gazetteer knows. A place inside an actor ("activists in Kabul")
    still counts; a bare country or capital that is an actor counts only as a destination."""
    out = [_with_kind(doc, ent) for ent in _place_spans(doc, sent) if _is_location(doc, ent, locative)]
    return out


def _place_spans(doc: Doc, sent: Span) -> list[Span]:
    spans = [e for e in doc.ents if e.label_ in PLACE_LABELS and sent.start <= e.start < sent.end]
    # a proper noun the tagger took for a person or organisation ("the town of Samarra") still counts
    # when the gazetteer knows it
    covered = {i for e in doc.ents if e.label_ not in {"PERSON", "ORG", "NORP"} for i in range(e.start, e.end)}
    for tok in sent:
        if tok.pos_ == "PROPN" and tok.dep_ == "pobj" and tok.i not in covered and tok.text[:1].isupper():
            left = tok.left_edge.i if all(t.pos_ == "PROPN" for t in doc[tok.left_edge.i:tok.i]) else tok.i
            span = doc[left:tok.i + 1]
            if default_gazetteer().lookup(span.text) is not None:
                spans.append(span)
    return spans


def _place_object(doc: Doc, verb: Token) -> Span | None:
    """A place the verb acts on when the sentence gives no other: "blocked the Europe Bridge",
    "stormed Tahrir Square" (a facility or place entity that is no actor)."""
    for c in verb.children:
        if c.dep_ != "dobj":
            continue
        ent = next((e for e in doc.ents if e.start <= c.i < e.end and e.label_ in PLACE_LABELS), None)
        if ent is not None and not any(i in doc._.mention_index for i in range(ent.start, ent.end)):
            return ent
    return None


def _is_location(doc: Doc, ent: Span, locative: set[str]) -> bool:
    actor = next((doc._.mention_index[i] for i in range(ent.start, ent.end) if i in doc._.mention_index), None)
    if actor is not None and not actor.resolved:
        actor = None                   # a name the tagger guessed ("the town of Samarra"), known to no KB
    inside_group = actor is not None and actor.kind in {"group", "name", "person", "title"} and \
        ent.start > 0 and doc[ent.start - 1].lower_ in locative
    if actor is not None and not inside_group and actor.kind not in {"country", "capital", "region"}:
        return False
    if actor is not None and not inside_group and not _destination(ent):
        # a country or capital used as an actor is a location only where it stands as one ("in Iraq",
        # "in the capital Kabul"), or as the destination of a movement
        return _after_preposition(ent, locative, movement=False)
    return _after_preposition(ent, locative)


def _after_preposition(ent: Span, locative: set[str], movement: bool = True) -> bool:
    head = ent.root
    while head.dep_ in {"compound", "amod", "appos", "conj"} and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj":
        prep = head.head
        if prep.lower_ in locative:
            return True
        if not movement:
            return False
        if prep.lower_ in {"to", "into", "toward", "towards"}:
            return prep.head.lemma_.lower() in movement_words()
        return prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_PARTS
    return False


@cache
def movement_words() -> frozenset[str]:
    return frozenset(read_words(data_path("lexicon", "movement_words.txt")))


def _destination(ent: Span) -> bool:
    root = ent.root
    return root.dep_ == "pobj" and root.head.lower_ in {"to", "into"} and \
        root.head.head.lemma_.lower() in movement_words()


def _with_kind(doc: Doc, ent: Span) -> Span:
    start = ent.start
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lemma_.lower() in PLACE_KINDS:
        start -= 2
    end = ent.end
    if end < len(doc) and doc[end].lemma_.lower() in PLACE_KINDS and doc[end].pos_ in {"NOUN", "PROPN"}:
        end += 1
    return doc[start:end]


def place_dict(span: Span, name_span: Span) -> dict:
    hit, bare = _lookup(name_span.text)
    name = ascii_name(hit.name) if hit else bare
    return {"text": span.text, "start": span.start_char, "end": span.end_char, "name": name,
            "country": hit.country if hit else None, "lat": hit.lat if hit else None,
            "lon": hit.lon if hit else None}


LOOKUPS_KEPT = 50_000      # place strings remembered: bounded, so a long corpus run does not grow


@lru_cache(maxsize=LOOKUPS_KEPT)
def _lookup(text: str):
    """(gazetteer hit, name looked up): the whole name first ("West Bank", "South Sudan"), then without
    a leading article or direction, one word at a time ("northern Syria" -> Syria)."""
    words = text.split()
    while True:
        name = " ".join(words)
        hit = default_gazetteer().lookup(name)
        if hit is not None or len(words) < 2 or words[0].lower() not in DIRECTIONS | {"the"}:
            return hit, name
        words = words[1:]


def _closest(cands: list[Span], tok: Token) -> Span | None:
    """The place the trigger governs, nearest first; a town before the country it is in. Not the place
    of whoever reports the event ("sources in Pakistan said")."""
    cands = [c for c in cands if not _reporters_place(c, tok)]
    in_subtree = [c for c in cands if any(a.i == tok.i for a in c.root.ancestors)]
    pool = in_subtree or cands
    return min(pool, key=lambda c: (_is_country(c), abs(c.start - tok.i))) if pool else None


def _reporters_place(cand: Span, tok: Token) -> bool:
    """The place hangs off a speech verb that reports the trigger's clause."""
    from .status import cues
    verb = next((a for a in cand.root.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    return verb is not None and verb.i != tok.i and verb.lemma_.lower() in cues().speech and \
        any(a.i == verb.i for a in tok.ancestors)


def _is_country(span: Span) -> bool:
    hit, _ = _lookup(_name_part(span).text)
    return hit is not None and hit.lat is None


def _name_part(span: Span) -> Span:
    """The name inside a place phrase: "the town of *Samarra*", "*Donetsk* region"."""
    ents = [e for e in span.ents if e.label_ in PLACE_LABELS]
    if ents:
        return ents[0]
    if len(span) > 2 and span[1].lower_ == "of" and span[0].lemma_.lower() in PLACE_KINDS:
        return span[2:]
    return span


@Language.factory("tidings_places")
class PlaceStage:
    """Sets each event's ``location`` (and ``doc._.places``, every place used as a location)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        # "from X" is where someone comes from, not where the event happened
        self.locative = read_words(data_path("lexicon", "locative_preps.txt")) - {"from"}

    def __call__(self, doc: Doc) -> Doc:
        by_sent: dict[int, list[Span]] = {}
        for e in doc._.events:
            tok = doc[e.head]
            if tok.sent.start not in by_sent:
                by_sent[tok.sent.start] = place_candidates(doc, tok.sent, self.locative)
            cands = by_sent[tok.sent.start]
            span = (_closest(cands, tok) if cands else None) or _place_object(doc, tok)
            if span is not None:
                e.location = place_dict(span, _name_part(span))
        doc._.places = [c for cs in by_sent.values() for c in cs]
        for e in doc._.events:
            e.source, e.target = (localise(m, e.location) for m in (e.source, e.target))
            e.source, e.target = localise_pair(e.source, e.target)
            if e.location and e.location.get("country"):
                if e.target is None and e.source is not None and not _is_state_of(e.source, e.location):
                    e.target = place_target(doc, e.location)
                elif e.source is None and e.target is not None and not _is_state_of(e.target, e.location):
                    e.source = place_target(doc, e.location)
        return doc


def _is_state_of(actor, location: dict) -> bool:
    """The actor is the state where the event happens: it cannot also be the other side ("the first
    visit to Ethiopia" is not Ethiopia's visit to Ethiopia)."""
    return actor.sector is None and actor.country == location["country"]


def place_target(doc: Doc, location: dict):
    """An event with no one named as its target is taken to be done to the country where it happens
    ("rebels surrendered in Soroti" -> UGA), one with no one named as its source to be done from there
    ("a roadside bomb near Samarra killed a US soldier" -> IRQ); the actor says so
    (``country_from: "location"``)."""
    from .actors import Mention
    span = doc.char_span(location["start"], location["end"], alignment_mode="expand")
    country = location["country"]
    return Mention(span.start, span.end, location["start"], location["end"], location["text"],
                   country=country, code=country, kind="place", country_from="location")


# Groups that are overwhelmingly of the country where they act: officials, police, protesters,
# civilians, ... (not soldiers, who often fight abroad).
LOCAL_SECTORS = {"GOV", "COP", "OPP", "CVL", "LAB", "EDU", "JUD", "LEG", "AGR", "REL", "JRN", "REF", "MED",
                 "BUS", "REB", "UAF", "PRM"}
STATE_SECTORS = {"GOV", "COP", "JUD", "LEG"}
DOMESTIC_ORGANS = {"COP", "JUD"}      # police and courts answer to their own state's government
DISSENT_SECTORS = {"REB", "UAF", "OPP", "CVL", "LAB", "EDU", "AGR"}


def localise_pair(source, target):
    """Between a state and its own dissenters the unnamed side is of the named side's country:
    "Venezuelan security forces detained an opposition leader", "rebels agreed a ceasefire with the
    government"; so are police and courts dealing with a named state ("Cairo's security chief warned
    police"). Not for soldiers, who often act abroad."""
    for a, b in ((source, target), (target, source)):
        if a is None or b is None or a.country or not b.country or a.kind != "group" or b.sector == "MIL":
            continue
        if (a.sector in DISSENT_SECTORS and b.sector in STATE_SECTORS) or \
                (a.sector in STATE_SECTORS and b.sector in DISSENT_SECTORS) or \
                (a.sector in DOMESTIC_ORGANS and b.sector in STATE_SECTORS):
            new = replace(a, country=b.country, code=b.country + a.sector, country_from="context")
            source, target = (new, target) if a is source else (source, new)
    return source, target


def localise(m, location: dict | None):
    """A local group with no country named takes the country of the place where the event happened;
    the actor says so (``country_from: "location"``)."""
    if m is None or m.country or m.sector not in LOCAL_SECTORS or not location or not location.get("country"):
        return m
    country = location["country"]
    return replace(m, country=country, code=country + m.sector, country_from="location")
