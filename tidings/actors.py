"""Actor mentions: find countries, capitals, seats of government, organisations, sector agents and
named persons in a Doc, join the parts of one mention ("Russian Defense Minister Sergei Shoigu"), and
resolve each to country + sector + code at the article's date.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .data import data_path, read_words
from .kb import Entry, KnowledgeBase, Role, default_kb
from .lexicon import noun_patterns
from .places import PART_WORDS
from .resolve import COUNTRY_KINDS, GENERIC_HEADS, TEXT_COUNTRIES, Resolution, resolve_parts

PLACE_KINDS = COUNTRY_KINDS - {"demonym"}
PRONOUNS = {"he", "she", "him", "her", "it", "they", "them"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
PLURAL_TAGS = {"NNS", "NNPS"}        # "it" is never "the teachers"
QUERY_FLAG = "tidings_query"         # set on docs of short actor texts (``tidings resolve``)
# how a country can modify a group's head inside one noun phrase ("Ankara's Cankaya district
# administration", "Montenegro Municipality Association officials")
PHRASE_DEPS = {"poss", "compound", "amod", "nmod"}


@dataclass
class Piece:
    """One matched phrase: a part of an actor mention."""
    start: int
    end: int
    entries: list[Entry]

    @property
    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}


@dataclass
class Mention:
    """A resolved (or, for unknown names, unresolved) actor mention with its evidence span."""
    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    name: str | None = None
    kb_id: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str = ""
    kind: str = ""                 # person, country, capital, seat, org, group, title, name
    roles: tuple[Role, ...] = ()   # the person's roles consistent with the text
    cued: bool = False             # a title in the text names the role
    modifier: bool = False         # a bare nationality adjective ("Russian influence")
    resolved: bool = True
    country_from: str | None = None   # "location" when inferred from where the event happened

    def as_actor(self) -> dict:
        actor = {"text": self.text, "start": self.start_char, "end": self.end_char, "name": self.name,
                 "kb_id": self.kb_id, "country": self.country, "sector": self.sector, "code": self.code}
        if self.country_from:
            actor["country_from"] = self.country_from
        return actor

    @property
    def is_person(self) -> bool:
        return self.kind in {"person", "name"} or (self.kind == "title" and self.name is not None)


class ActorMatcher:
    """Phrase matchers over every KB phrase (all-caps abbreviations case-sensitive)."""

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, list[Entry]] = {}
        by_key: dict[tuple[str, bool], list[str]] = {}
        for phrase, entry in kb.phrases():
            exact = any(c.isupper() for c in phrase) and phrase.replace(".", "").isupper() and len(phrase) <= 8
            key = f"{entry.kind}:{entry.key}"
            self.entries.setdefault(key, [entry])
            by_key.setdefault((key, exact), []).append(phrase)
        for (key, exact), phrases in by_key.items():
            docs = list(nlp.tokenizer.pipe(sorted(set(phrases))))
            (self.orth if exact else self.lower).add(key, docs)

    def pieces(self, doc: Doc) -> list[Piece]:
        found: dict[tuple[int, int], list[Entry]] = {}
        for matcher in (self.lower, self.orth):
            for key, start, end in matcher(doc):
                found.setdefault((start, end), []).extend(self.entries[doc.vocab.strings[key]])
        peoples = {start for (start, _), entries in found.items() if entries[0].kind == "demonym"}
        found = {span: entries for span, entries in found.items()
                 if _plausible(doc[span[0]:span[1]], entries[0], peoples)}
        return [p for p in _longest_first(found) if "discard" not in p.kinds]


def _plausible(span: Span, entry: Entry, peoples: set[int] = frozenset()) -> bool:
    """``peoples``: where demonyms start ("ordinary Kazakhs": an adjective agent of a people)."""
    if entry.kind == "agent":
        last = span[-1]
        if span.doc.user_data.get(QUERY_FLAG) and span.end == len(span.doc):
            return True                # a short query ends on its head noun ("Senate hopeful")
        return last.pos_ in {"NOUN", "PROPN"} or (last.pos_ == "ADJ" and last.dep_ == "amod" and (
            last.head.lemma_.lower() in noun_patterns() or last.head.lower_ in GENERIC_HEADS
            or (last.head.i == span.end and last.head.i in peoples and last.head.pos_ in {"NOUN", "PROPN"})))
    first = span[0].text
    if entry.kind == "discard":
        return True
    capitalised = first[:1].isupper() or (span[0].lower_ in NAME_PARTICLES and len(span) > 1
                                          and any(t.text[:1].isupper() for t in span[1:]))
    return capitalised and not (entry.kind == "person" and span[-1].pos_ not in {"PROPN", "NOUN"})


# lower-case particles that may begin a name: "al-Qaeda", "bin Salman", "van der Leyen"
NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "van", "von", "der", "da", "di", "du", "la", "le", "dos", "das"}


def _longest_first(found: dict[tuple[int, int], list[Entry]]) -> list[Piece]:
    taken: set[int] = set()
    pieces = []
    for (start, end), entries in sorted(found.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0])):
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            pieces.append(Piece(start, end, entries))
    return sorted(pieces, key=lambda p: p.start)


def kb_names(kb: KnowledgeBase, piece: Piece) -> list[str]:
    return [n for e in piece.entries if e.kind == "person"
            for n in (kb.persons[e.key].name, *kb.persons[e.key].aliases)]


def _outside_place_names(doc: Doc, pieces: list[Piece], kb: KnowledgeBase) -> list[Piece]:
    """Drop a person or capital matched inside a longer place name ("Kok" in "Mong Kok", "Praia" in
    "Mocimboa da Praia"), and a person matched inside a longer person's name that is someone else's
    ("Juan Carlos" in "Juan Carlos Jobet" is not the King of Spain, "Biden" in "Hunter Biden" is not
    Joe Biden). A KB surname after a given name that fits takes the whole name ("Alexander Lukashenka")."""
    places = [e for e in doc.ents if e.label_ in {"GPE", "LOC", "FAC"}]
    people = [e for e in doc.ents if e.label_ == "PERSON"]

    def inside(p: Piece, ents) -> bool:
        return any(e.start <= p.start and p.end <= e.end and (e.end - e.start) > (p.end - p.start) for e in ents)

    kept = []
    for p in pieces:
        if p.kinds & {"person", "capital"} and inside(p, places):
            continue
        ent = next((e for e in people if e.start <= p.start and p.end <= e.end and e.end - e.start > p.end - p.start), None)
        if "person" in p.kinds and ent is not None:
            names = " ".join(kb_names(kb, p)).lower().replace("-", " ").split()
            last = next((t.lower_ for t in reversed(ent) if t.is_alpha), "")
            surname_only = p.end - p.start == 1
            if (ent.end > p.end and last not in names) or \
                    (surname_only and not given_name_fits(doc[ent.start:p.start], names, kb)):
                continue
            p = Piece(ent.start, p.end, p.entries) if ent.start < p.start else p
        kept.append(p)
    return kept


@cache
def honorifics() -> frozenset[str]:
    return frozenset(read_words(data_path("lexicon", "honorifics.txt")))


GIVEN_NAME_LIKENESS = 0.6    # difflib ratio: Alexander/Aleksandr 0.78, Mohamed/Muhammad 0.67, Jill/Joe 0.29


def given_name_fits(before: Span, names: list[str], kb: KnowledgeBase) -> bool:
    """The first word of a name before a KB surname is one of the person's names, an initial of one,
    a spelling of one, or a title ("Anna" before "Lavrov" is someone else)."""
    import difflib
    words = [t for t in before if t.is_alpha and t.lower_ not in kb.agents and t.lower_ not in honorifics()]
    if not words:
        return True
    first = words[0].lower_
    if len(first) == 1 or (len(words[0].text) <= 2 and words[0].text.isupper()):
        return any(n.startswith(first[0]) for n in names)
    return any(difflib.SequenceMatcher(None, first, n).ratio() >= GIVEN_NAME_LIKENESS for n in names)


def _ship_names(doc: Doc, pieces: list[Piece]) -> list[Piece]:
    """A warship prefix takes the capitalised words after it: "USS Gerald R. Ford" is one ship."""
    out: list[Piece] = []
    for p in pieces:
        if out and p.end <= out[-1].end:
            continue                          # inside the ship's name
        prefix = any(e.kind == "equipment" and e.key.isupper() for e in p.entries)
        end = p.end
        while prefix and end < len(doc) and (doc[end].is_title or (doc[end].text[:1].isupper() and doc[end].text.endswith("."))):
            end += 1
        out.append(Piece(p.start, end, p.entries) if end > p.end else p)
    return out


def _names_from_ner(doc: Doc, pieces: list[Piece]) -> list[Piece]:
    """PERSON entities the KB does not know, as pieces of kind 'name'."""
    covered = {i for p in pieces for i in range(p.start, p.end)}
    extra = [Piece(e.start, e.end, [Entry("name", e.text)]) for e in doc.ents
             if e.label_ == "PERSON" and covered.isdisjoint(range(e.start, e.end))]
    return sorted(pieces + extra, key=lambda p: p.start)


class MentionBuilder:
    """Joins adjacent pieces into mentions and resolves them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.joiners = read_words(data_path("lexicon", "joiners.txt"))
        self.not_actor_heads = read_words(data_path("lexicon", "not_actor_heads.txt"))
        self.activity_heads = read_words(data_path("lexicon", "activity_heads.txt"))
        # "withdraw from Chad": what is left is acted on, so a place after "from" stays an actor
        self.locative = read_words(data_path("lexicon", "locative_preps.txt")) - {"from"}

    def build(self, doc: Doc, pieces: list[Piece]) -> list[Mention]:
        mentions: list[Mention] = []
        chosen: dict[str, str] = {}      # surface -> kb_id chosen earlier in the document
        if not doc.user_data.get(QUERY_FLAG):     # the countries an article names anywhere (resolve.py)
            doc.user_data[TEXT_COUNTRIES] = {e.key for p in pieces for e in p.entries if e.kind in COUNTRY_KINDS}
        for group in self._groups(doc, pieces):
            if self._is_thing(doc, group):
                continue
            res = resolve_parts(self.kb, doc, group, doc._.date, chosen)
            if res is None:
                continue
            mentions.append(_mention(doc, group, res))
        return mentions

    def _groups(self, doc: Doc, pieces: list[Piece]) -> list[list[Piece]]:
        groups: list[list[Piece]] = []
        for piece in pieces:
            if groups and self._joins(doc, groups[-1], piece):
                groups[-1].append(piece)
            else:
                groups.append([piece])
        return groups

    def _joins(self, doc: Doc, group: list[Piece], piece: Piece) -> bool:
        gap = doc[group[-1].end:piece.start]
        if len(gap) > 3 or any(t.lower_ not in self.joiners and t.pos_ != "ADJ" for t in gap):
            return False
        gap = [t for t in gap if t.lower_ in self.joiners]     # "Iran's religious leader"
        if gap and gap[-1].sent.start != piece.start and doc[piece.start].is_sent_start:
            return False
        kinds = set().union(*(p.kinds for p in group))
        new = piece.kinds
        if "person" in new or "name" in new:
            return not (kinds & {"person", "name"}) and not gap or (gap and gap[0].lower_ in {"'s", "’s"})
        if "demonym" in new and not gap and (kinds <= {"demonym"} or (kinds == {"agent"} and doc[piece.start].pos_ in {
                "NOUN", "PROPN"} and doc[group[-1].end - 1].pos_ == "ADJ")):
            return True                     # "Bosnian Serbs", "ordinary Kazakhs": a people of a country
        if new & {"country", "capital"} and kinds <= {"demonym"} and doc[group[-1].end - 1].pos_ in {"NOUN", "PROPN"} \
                and gap and gap[0].lower_ in {"of", "in"}:
            return True                     # "the Albanians of southern Serbia": a people living there
        if "org" in new and kinds <= PLACE_KINDS | {"demonym"} and (not gap or gap[0].lower_ in {"'s", "’s"}):
            return True                     # "Chile's Defense Department", "the Chilean Senate"
        if new & PLACE_KINDS or "demonym" in new or "org" in new:
            return "agent" in kinds and not (kinds & (PLACE_KINDS | {"demonym", "org"})) and bool(gap) \
                and gap[0].lower_ in {"of", "in", "from", "for"}
        if "agent" in new:
            return not (kinds & {"person", "name"}) and (not gap or gap[0].lower_ in {"'s", "’s", "'"})
        return False

    def _is_thing(self, doc: Doc, group: list[Piece]) -> bool:
        """A bare place that names a thing ("the Minsk agreements") or a location ("in Donetsk"); a
        bare sector word that describes an activity ("a military offensive")."""
        if len(group) == 1 and group[0].kinds == {"agent"}:
            root = doc[group[0].start:group[0].end].root
            return root.dep_ in {"amod", "compound"} and root.head.lemma_.lower() in self.activity_heads
        if len(group) > 1 or not (group[0].kinds & PLACE_KINDS):
            return False           # a nationality adjective owns its noun ("a Senegalese peace plan")
        span = doc[group[0].start:group[0].end]
        root = span.root
        if root.dep_ in {"compound", "amod", "nmod"} and root.head.lemma_.lower() in self.not_actor_heads:
            return True
        if span.end < len(doc) and doc[span.end].lemma_.lower() in self.not_actor_heads \
                and doc[span.end].pos_ in {"NOUN", "PROPN"}:
            return True
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in PART_WORDS:
            return True                    # "the outskirts of Khartoum"
        return root.dep_ == "pobj" and root.head.lower_ in self.locative and not (group[0].kinds & {"seat"})


def _mention(doc: Doc, group: list[Piece], res: Resolution) -> Mention:
    span = doc[group[0].start:group[-1].end]
    if span[0].lower_ == "the" and len(span) > 1:
        span = span[1:]
    return Mention(span.start, span.end, span.start_char, span.end_char, span.text, res.name, res.kb_id,
                   res.country, res.sector, res.code, res.kind, res.roles, res.cued, res.modifier,
                   res.resolved)


def resolve_pronoun(doc: Doc, token: Token) -> Mention | None:
    """The last fitting actor mentioned before ``token``: a person for he/she; for it/they a
    country, organisation or group in the same or the previous sentence."""
    person = token.lower_ in PERSON_PRONOUNS
    best = None
    for m in doc._.mentions:
        if m.start >= token.i:
            break
        if m.is_person if person else (not m.is_person and not m.modifier and m.resolved
                                       and not (token.lower_ == "it" and doc[m.end - 1].tag_ in PLURAL_TAGS)):
            best = m
    if best is not None and not person and token.sent.start - best.start > 60:
        return None
    return best


@Language.factory("tidings_actors")
class ActorStage:
    """Sets ``doc._.mentions`` (every actor mention, resolved at ``doc._.date``)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.kb = default_kb()
        self.matcher = ActorMatcher(nlp, self.kb)
        self.builder = MentionBuilder(self.kb)

    def __call__(self, doc: Doc) -> Doc:
        meta = {i for s, e in doc._.meta_spans for i in _token_range(doc, s, e)}
        pieces = [p for p in self.matcher.pieces(doc) if meta.isdisjoint(range(p.start, p.end))]
        pieces = _names_from_ner(doc, _outside_place_names(doc, _ship_names(doc, pieces), self.kb))
        pieces = [p for p in pieces if meta.isdisjoint(range(p.start, p.end))]
        mentions = inherit_from_phrase(doc, inherit_from_apposition(doc, self.builder.build(doc, pieces)))
        doc._.mentions = mentions
        doc._.mention_index = {i: m for m in mentions for i in range(m.start, m.end)}
        return doc


def inherit_from_phrase(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A group with no country takes the country of the actor it stands in apposition to ("the
    Nigerian Union of Teachers, the umbrella union"), or the country named further inside its noun
    phrase, beyond what the pieces joined: "*Ankara's* Cankaya district administration" -> TURGOV."""
    index = {i: m for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in mentions:
        if m.kind == "group" and not m.country:
            root = doc[m.start:m.end].root
            anchor = index.get(root.head.i) if root.dep_ == "appos" else None   # "the NUT, the union"
            other = anchor if anchor is not None and anchor.country else \
                _phrase_country(doc, doc[m.end - 1], index, m)
            if other is not None:
                m = replace(m, country=other.country, code=other.country + (m.sector or ""))
        out.append(m)
    return out


def _phrase_country(doc: Doc, head: Token, index: dict, m: Mention) -> Mention | None:
    stack = [c for c in head.children if c.dep_ in PHRASE_DEPS and c.i < m.start]
    while stack:
        t = stack.pop()
        other = index.get(t.i)
        if other is not None and other is not m and other.country and other.kind in {"country", "capital", "region"}:
            return other
        stack += [c for c in t.children if c.dep_ in PHRASE_DEPS]
    return None


def inherit_from_apposition(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A name the KB does not place takes country and sector from its apposition: "Kenzo Oshima, the
    United Nations Emergency Relief Coordinator"; "Chadli Klibi, Arab League Secretary General"."""
    index = {i: m for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in mentions:
        if m.kind == "name" and not m.country:
            root = doc[m.start:m.end].root
            for child in root.children:
                other = index.get(child.i) if child.dep_ == "appos" else None
                if other is None and child.dep_ == "appos":
                    other = next((index[t.i] for t in child.subtree if t.i in index), None)
                if other is not None and other is not m and other.country:
                    m = replace(m, country=other.country, sector=other.sector or m.sector, code=other.code,
                                resolved=True)
                    break
        out.append(m)
    return out


def _token_range(doc: Doc, start_char: int, end_char: int) -> range:
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)
