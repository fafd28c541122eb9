"""Events: find CAMEO triggers (verb patterns and nominal triggers) and their source and target actors.

One event is written per source-target pair; compound subjects of reciprocal verbs ("Belarus and
Russia are aligning") give an event each way.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from itertools import permutations

from spacy.language import Language
from spacy.tokens import Doc, Token

from .actors import PLACE_KINDS, PRONOUNS, Mention, resolve_pronoun
from .data import data_path, read_table, read_words, split_list
from .lexicon import NounPattern, VerbPattern, noun_patterns, verb_patterns
from .places import PLACE_LABELS, PLACE_PARTS

# CAMEO roots whose events are mutual when a compound subject has no object: express intent to
# cooperate (03), consult (04), material cooperation (06); and fighting (190 'clash').
RECIPROCAL = ("03", "04", "06", "190")
SUBJECT_DEPS = {"nsubj", "csubj"}
OBJECT_DEPS = {"dobj", "dative", "attr", "oprd", "nsubjpass", "xcomp", "acomp", "npadvmod"}
TARGET_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "at", "into", "between",
                "for", "over", "of", "from"}
VERBAL = {"VERB"}


@dataclass
class Event:
    sentence: int
    trigger_start: int             # token indices of the trigger words
    trigger_end: int
    head: int                      # the trigger's head token
    cameo: str
    source: Mention | None
    target: Mention | None
    status: str = "asserted"
    reported_by: Mention | None = None
    confidence: float = 0.5
    location: dict | None = None
    when: dict | None = None


# ---------------------------------------------------------------- trigger matching

def _children_objects(tok: Token) -> list[Token]:
    objs = []
    for c in tok.children:
        if c.dep_ in OBJECT_DEPS:
            objs.append(c)
        elif c.dep_ in {"prep", "prt", "agent"}:
            objs.extend(g for g in c.children if g.dep_ in {"pobj", "pcomp"})
    if tok.dep_ == "acl" and tok.tag_ == "VBN":      # "shells fired by ...": the noun is the object
        objs.append(tok.head)
    for o in list(objs):
        objs.extend(o.conjuncts)
        if o.dep_ == "xcomp":
            objs.extend(g for g in o.children if g.dep_ in {"dobj", "attr"})
        objs.extend(_object_parts(o))
    return objs


def _hyphenated(objs: list[Token]) -> set[str]:
    """Objects the tokenizer split at a hyphen, rejoined: "cease - fire" is "cease-fire"."""
    out = set()
    for o in objs:
        for c in o.children:
            if c.dep_ == "compound" and c.i + 2 == o.i and o.doc[c.i + 1].text == "-":
                out.add(f"{c.lower_}-{o.lower_}")
    return out


def _direct_objects(tok: Token) -> list[Token]:
    objs = [c for c in tok.children if c.dep_ in OBJECT_DEPS]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":      # "the tapes released by ..."
        objs.append(tok.head)
    return objs + [c for o in objs for c in o.conjuncts]


def _object_parts(obj: Token) -> list[Token]:
    """Words that name what an object is: its compounds ("food aid") and, for a measure or
    nominalisation, the object of its "of" ("tons of food", "the return of inspectors")."""
    parts = [c for c in obj.children if c.dep_ in {"compound", "amod"}]
    for c in obj.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    parts += [g] + [x for x in g.children if x.dep_ == "compound"]
    return parts


def _particle_ok(tok: Token, pat: VerbPattern) -> Token | None:
    """The pattern's particle or preposition on the verb; a preposition of time is none ("called
    Erdogan on Tuesday" is no "call on")."""
    for c in tok.children:
        if c.dep_ in {"prt", "prep", "advmod", "dative", "agent"} and c.lower_ in pat.particles and not _of_time(c):
            return c
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt if nxt is not None and nxt.lower_ in pat.particles and not _of_time(nxt) else None


def _of_time(prep: Token) -> bool:
    return any(g.ent_type_ in {"DATE", "TIME"} for g in prep.children if g.dep_ == "pobj")


NOT_AN_EVENT = "---"      # a verbs.tsv row that says these words are no event ("met the criteria")


def _object_ok(tok: Token, pat: VerbPattern) -> bool:
    """One of the pattern's objects heads the verb's object, or (for event rows) stands close after it;
    a no-event row needs it as the direct object ("rallied the party", not "rallied across the country")."""
    objs = _direct_objects(tok) if pat.cameo == NOT_AN_EVENT else _children_objects(tok)
    lemmas = {o.lemma_.lower() for o in objs} | {o.lower_ for o in objs} | _hyphenated(objs)
    if lemmas & pat.objects:
        return True
    if pat.cameo == NOT_AN_EVENT:
        return False
    window = tok.doc[tok.i + 1: min(tok.i + 6, tok.sent.end)]
    return any(t.lemma_.lower() in pat.objects or t.lower_ in pat.objects for t in window)


def _context_ok(tok: Token, pat: VerbPattern) -> bool:
    subjects = {t.i for c in tok.children if c.dep_ in SUBJECT_DEPS for t in c.subtree}
    return any(t.lemma_.lower() in pat.context for t in tok.subtree if t.i not in subjects and t.i != tok.i)


def match_verb(tok: Token) -> tuple[VerbPattern, Token | None] | None:
    """The most specific verb pattern that ``tok`` satisfies, with its particle token."""
    pats = verb_patterns().get(tok.lemma_.lower()) or verb_patterns().get(tok.lower_)
    if not pats:
        return None
    verbal = tok.pos_ in VERBAL
    for pat in pats:
        particle = _particle_ok(tok, pat) if pat.particles else None
        if pat.particles and particle is None:
            continue
        if not verbal and not (particle is not None and particle.i == tok.i + 1 and _after_actor(tok)):
            continue
        if pat.objects and not _object_ok(tok, pat):
            continue
        if pat.context and not _context_ok(tok, pat):
            continue
        return (pat, particle) if pat.cameo != NOT_AN_EVENT and not _naming(tok) else None
    return None


NAMING_VERBS = {"call", "name", "dub", "label", "term", "brand"}


def _naming(tok: Token) -> bool:
    """A verb of naming used to name ("a company called Cambridge Analytica", "called Trump a
    blowhard", "what they call fraud"), not a call or an appointment."""
    if tok.lemma_.lower() not in NAMING_VERBS:
        return False
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return True
    return any(c.dep_ == "oprd" or (c.dep_ == "dobj" and c.lower_ == "what") or (c.dep_ == "mark" and c.lower_ == "as")
               for c in tok.children)


def _after_actor(tok: Token) -> bool:
    """A verb the tagger took for a noun ("Kyiv gears up"): directly after an actor mention."""
    return tok.i > 0 and tok.doc._.mention_index.get(tok.i - 1) is not None


def match_noun(tok: Token) -> NounPattern | None:
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    return noun_patterns().get(tok.lemma_.lower()) or noun_patterns().get(tok.lower_)


# ---------------------------------------------------------------- actors of a trigger

def actors_of(doc: Doc, tok: Token) -> list[Mention]:
    """Mentions a token stands for: its own mention, its conjuncts', or one inside its phrase."""
    out: list[Mention] = []
    for t in (tok, *tok.conjuncts):
        m = doc._.mention_index.get(t.i)
        if m is None and t.lower_ in PRONOUNS:
            m = resolve_pronoun(doc, t)
        if m is None:
            m = _mention_inside(doc, t)
        if m is not None and m not in out:
            out.append(m)
            out += [c for c in _conjoined_in(doc, m) if c not in out]
    return out


def _conjoined_in(doc: Doc, m: Mention) -> list[Mention]:
    """"the foreign ministers of Egypt and Jordan": Jordan's ministers too (same sector)."""
    out = []
    for t in doc[m.start:m.end]:
        for c in t.conjuncts:
            other = doc._.mention_index.get(c.i)
            if other is not None and other is not m and not (m.start <= c.i < m.end):
                if other.kind == "country" and m.sector and m.kind == "group":
                    other = replace(other, sector=m.sector, code=(other.country or "") + m.sector, kind="group")
                out.append(other)
    return out


def _mention_inside(doc: Doc, tok: Token) -> Mention | None:
    if tok.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return None
    for t in tok.subtree:
        if t.i != tok.i and t.head.i == tok.i and t.dep_ in {"compound", "poss", "amod", "nmod"}:
            m = doc._.mention_index.get(t.i)
            if m is not None:
                return m
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in {"of", "from", "in"}:
            for g in c.children:
                if g.dep_ == "pobj" and doc._.mention_index.get(g.i) is not None:
                    return doc._.mention_index[g.i]
        if c.dep_ == "acl":           # "shells fired by Russian forces": who fired them
            for a in c.children:
                for g in (a.children if a.dep_ == "agent" else ()):
                    if g.dep_ == "pobj" and doc._.mention_index.get(g.i) is not None:
                        return doc._.mention_index[g.i]
    return None


def subjects_of(doc: Doc, tok: Token) -> tuple[list[Mention], list[Mention]]:
    """(sources, targets) from the verb's subject, climbing through xcomp/conj/relcl when needed."""
    subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
    passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
    agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if passive:
        return _all(doc, agents), _all(doc, passive)
    if subj:
        return _all(doc, subj), []
    return _inherited_subject(doc, tok), []


def _inherited_subject(doc: Doc, tok: Token) -> list[Mention]:
    seen = 0
    while tok.dep_ in {"xcomp", "conj", "advcl", "relcl", "acl", "ccomp", "pcomp", "acomp"} and seen < 4:
        head = tok.head
        seen += 1
        if tok.dep_ in {"relcl", "acl"}:
            return actors_of(doc, head)
        if tok.dep_ == "xcomp" or (tok.dep_ == "pcomp" and head.dep_ == "prep"):
            verb = head.head if tok.dep_ == "pcomp" else head      # "accused Belarus of massing troops"
            objs = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
            if objs and _all(doc, objs):
                return _all(doc, objs)
        subj = [c for c in head.children if c.dep_ in SUBJECT_DEPS]
        if subj and tok.dep_ != "ccomp":
            return _all(doc, subj)
        if tok.dep_ == "ccomp":
            return []
        tok = head
    left = tok.doc[tok.i - 1] if tok.i > 0 else None
    m = doc._.mention_index.get(left.i) if left is not None else None
    return [m] if m is not None else []


def _all(doc: Doc, toks: list[Token]) -> list[Mention]:
    out: list[Mention] = []
    for t in toks:
        for m in actors_of(doc, t):
            if m not in out:
                out.append(m)
    return out


def targets_of(doc: Doc, tok: Token, extra: list[Token]) -> list[Mention]:
    """Who the event is done to, in order of preference: the verb's object and target-bearing
    prepositions; then, through its object phrase, whose thing it acts on ("rejected an *Indian*
    proposal", "demanded an admission *by Moscow*"); then the subject of a demanded or warned-of clause
    ("demanded that *the US* cancel") or the target of an infinitive ("offered to hand over *to Britain*").
    The pattern's own object words ("send *troops* to Mali") are what is acted with, not on."""
    skip = {t.i for t in extra}
    found = _direct_targets(doc, [tok, *extra], skip)
    if found:
        return found
    objects = [c for c in tok.children if c.dep_ in {"dobj", "dative"}] + list(extra)
    for o in objects:
        found += [m for m in _owner_of(doc, o) if m not in found]
    if found:
        return found
    for c in tok.children:
        if c.dep_ == "ccomp":
            found += [m for s in c.children if s.dep_ in SUBJECT_DEPS for m in actors_of(doc, s)]
        elif c.dep_ == "xcomp":          # "threatened to deliver blows to the United States"
            objs = [o for o in c.children if o.dep_ in {"dobj", "dative"}]
            found += _direct_targets(doc, [c] + objs, skip)
    return found or _deep_targets(doc, tok, skip)


# where a place is, not who is acted on ("blocked streets in Hong Kong"): the locative prepositions
# except those of movement, whose object is acted on ("withdrew from Chad", "sent troops into Mali")
PLACE_PREPS = read_words(data_path("lexicon", "locative_preps.txt")) - {"from", "into"}
DEEP_TARGET_DEPTH = 4
# what the deep search does not enter: time and cause ("following the deaths of two Israelis"), sources
# ("according to"), and side clauses other than conditions ("while UN inspectors said ...")
DEEP_STOP_PREPS = PLACE_PREPS | {"following", "after", "before", "during", "since", "until", "despite",
                                 "amid", "according", "like", "as", "because"}
DEEP_CLAUSE_MARKS = {"unless", "if"}


def _deep_stop(t: Token) -> bool:
    if t.dep_ == "prep" and t.lower_ in PLACE_PREPS:     # "in Hong Kong" is a place; "in defiance of X" is not
        objects = [g for g in t.children if g.dep_ in {"pobj", "pcomp"}]
        return not objects or any(g.ent_type_ in PLACE_LABELS or g.lemma_.lower() in PLACE_PARTS
                                  for g in objects)
    if t.dep_ == "prep":
        return t.lower_ in DEEP_STOP_PREPS
    if t.dep_ == "advcl":
        return not any(c.dep_ == "mark" and c.lower_ in DEEP_CLAUSE_MARKS for c in t.children)
    return t.dep_ in {"relcl", "parataxis"}


def _deep_targets(doc: Doc, tok: Token, skip: set[int]) -> list[Mention]:
    """Last resort: the nearest actors with a country further down the verb's phrase, as coders read
    them from context: "blocked streets in defiance of *Chinese authorities*", "mobilized reservists for
    a possible war against *Iraq*", "threatened a strike unless *Israel* rescinded ..."."""
    # what follows the verb, and a passive subject ("a camp for Congolese refugees was attacked")
    frontier = [c for c in tok.children if (c.dep_ == "nsubjpass" or c.i > tok.i)
                and c.dep_ not in SUBJECT_DEPS | {"agent", "punct"} and not _deep_stop(c)]
    for _ in range(DEEP_TARGET_DEPTH):
        found: list[Mention] = []
        for t in frontier:
            if t.i not in skip and t.dep_ != "prep":
                found += [m for m in actors_of(doc, t) if m.country and m not in found and m.kind != "equipment"
                          and t.left_edge.i <= m.start and m.end <= t.right_edge.i + 1]
        if found:
            return found
        frontier = [c for t in frontier for c in t.children if c.dep_ != "punct" and not _deep_stop(c)]
    return []


def _direct_targets(doc: Doc, heads: list[Token], skip: set[int]) -> list[Mention]:
    found: list[Mention] = []
    for t in heads:
        for c in t.children:
            if c.i in skip:
                continue
            if c.dep_ in {"dobj", "dative", "iobj"}:
                found += [m for m in actors_of(doc, c) if m not in found]
            elif c.dep_ in {"prep", "prt"} and c.lower_ in TARGET_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj":        # "with Kinzhal missiles": a weapon is no target
                        found += [m for m in actors_of(doc, g) if m not in found and m.kind != "equipment"]
    return found


def _owner_of(doc: Doc, obj: Token) -> list[Mention]:
    """The actor an object phrase belongs to or comes from: possessor, nationality, "by"/"from"/"of"."""
    out: list[Mention] = []
    for c in obj.children:
        if c.dep_ in {"poss", "amod", "compound"}:   # whose: a country's, not a sector's ("army reservists")
            out += [m for m in actors_of(doc, c) if m.country]
        elif c.dep_ == "prep" and c.lower_ in TARGET_PREPS | {"by"}:
            out += [m for g in c.children if g.dep_ == "pobj" for m in actors_of(doc, g)]
    return out


# ---------------------------------------------------------------- perpetrators of violence

def is_violent(cameo: str) -> bool:
    return cameo[:2] in {"18", "19", "20"} or cameo in {"1712", "175"}


@cache
def violence_cues() -> frozenset[str]:
    return frozenset(read_words(data_path("lexicon", "violence_cues.txt")))


def _violence_named(tok: Token) -> bool:
    """An unnamed perpetrator is acceptable only where the sentence names organised violence, and a
    subject that is not an actor must itself be one ("a bombing killed", not "an earthquake killed")."""
    cues = violence_cues()
    subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
    if subj:
        return any(t.lemma_.lower() in cues for s in subj for t in s.subtree)
    return any(t.lemma_.lower() in cues for t in tok.sent if t.i != tok.i)


# ---------------------------------------------------------------- pairing

def pairs(cameo: str, sources: list[Mention], targets: list[Mention]) -> list[tuple[Mention | None, Mention | None]]:
    """One (source, target) per pair; reciprocal events both ways among compound subjects."""
    if sources and targets:
        return [(s, t) for s in sources for t in targets if s is not t and not _same(s, t)]
    if len(sources) >= 2 and cameo.startswith(RECIPROCAL):
        return [(a, b) for a, b in permutations(sources, 2) if not _same(a, b)]
    if sources:
        return [(s, None) for s in sources]
    return [(None, t) for t in targets]


def _same(a: Mention, b: Mention) -> bool:
    """One actor twice: the same words, the same person, or the same state named twice ("a visit to
    Ethiopia by ... Ethiopia")."""
    return a.start == b.start or (a.kb_id is not None and a.kb_id == b.kb_id) or (
        a.kind in PLACE_KINDS and b.kind in PLACE_KINDS and a.code == b.code)


# ---------------------------------------------------------------- the stage

def verb_events(doc: Doc, tok: Token, used: set[int]) -> list[Event]:
    hit = match_verb(tok)
    if hit is None:
        return []
    pat, particle = hit
    children = _children_objects(tok)
    objs = [o for o in children if o.lemma_.lower() in pat.objects or o.lower_ in pat.objects]
    used.update(o.i for o in children)     # "demanded a truce": the truce is no event
    sources, passive_targets = subjects_of(doc, tok)
    if is_violent(pat.cameo) and not sources and not _violence_named(tok):
        return []
    targets = passive_targets or targets_of(doc, tok, objs + ([particle] if particle is not None else []))
    if not sources and len(targets) >= 2 and pat.cameo.startswith(RECIPROCAL):
        sources, targets = targets, []       # "fighting between Russian and Ukrainian troops": each way
    end = particle.i + 1 if particle is not None and particle.i == tok.i + 1 else tok.i + 1
    return _events(doc, tok, end, pat.cameo, sources, targets, bool(pat.objects or pat.particles))


@cache
def obligation_cues() -> dict[tuple[str, str], str]:
    """(modal, speech verb) -> CAMEO code of the demand it makes (data/lexicon/obligation_cues.tsv)."""
    return {(r["modal"], verb): r["cameo"] for r in read_table(data_path("lexicon", "obligation_cues.tsv"))
            for verb in split_list(r["verbs"])}


def demand_events(doc: Doc, tok: Token) -> list[Event]:
    """"X said Y must do Z": X demands of Y (the speech verb is the trigger; the source its speaker,
    the target the subject of the obligation)."""
    for clause in (c for c in tok.children if c.dep_ == "ccomp"):
        modal = next((a.lower_ for a in clause.children if a.dep_ == "aux"), None)
        cameo = obligation_cues().get((modal or "", tok.lemma_.lower()))
        subj = [c for c in clause.children if c.dep_ == "nsubj"]
        if cameo is None or not subj:
            continue
        sources, _ = subjects_of(doc, tok)
        targets = _all(doc, subj)
        if sources and targets:
            return _events(doc, tok, tok.i + 1, cameo, sources, targets, True)
    return []


def noun_events(doc: Doc, tok: Token) -> list[Event]:
    pat = match_noun(tok)
    if pat is None:
        return []
    targets = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in pat.preps:
            targets += _all(doc, [g for g in c.children if g.dep_ == "pobj"])
    sources = _all(doc, [c for c in tok.children if c.dep_ in {"poss", "amod", "compound", "nmod"}])
    if not sources and targets:
        sources = _governor_subject(doc, tok)
    if not sources and len(targets) >= 2:
        sources, targets = targets, []
    return _events(doc, tok, tok.i + 1, pat.cameo, sources, targets, True)


def _governor_subject(doc: Doc, tok: Token) -> list[Mention]:
    """"In a discussion with X, Y said": the subject of the verb the noun's phrase attaches to."""
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        verb = head.head
        if verb.pos_ in {"VERB", "AUX"}:
            return _all(doc, [c for c in verb.children if c.dep_ in SUBJECT_DEPS])
    return []


@cache
def sector_recodes() -> list[tuple[frozenset[str], frozenset[str], str]]:
    return [(frozenset(split_list(r["sectors"])), frozenset(split_list(r["codes"])), r["to"])
            for r in read_table(data_path("lexicon", "sector_recodes.tsv"))]


def recode_for_source(cameo: str, source: Mention | None) -> str:
    """Violence by crowds is violent protest (see data/lexicon/sector_recodes.tsv)."""
    if source is not None:
        for sectors, codes, to in sector_recodes():
            if source.sector in sectors and cameo in codes:
                return to
    return cameo


# individuals who are not armed actors "battle" or "fight" only in politics and sport ("the battle
# between Rubio and Christie"); fighting (CAMEO 19) needs a group, a state or an armed person
INDIVIDUAL_KINDS = {"person", "name", "title"}
ARMED_SECTORS = {"MIL", "REB", "UAF", "PRM", "SPY", "COP", "CRM"}


VERBAL_ATTACK = "111"      # criticize or denounce

# groups that do not fight: "politicians fired back at Trump", "lawmakers battled the publisher"
TALKING_SECTORS = {"PTY", "LEG", "JRN", "JUD", "BUS", "EDU", "ELI"}


def _metaphorical(cameo: str, sources: list[Mention], targets: list[Mention]) -> bool:
    """Fighting words among people who do not fight: individuals who are not armed, a person out of
    government against nobody armed ("Clinton targeted voters"), or (with both sides named) parties,
    legislators, media, courts, business."""
    actors = sources + targets
    if cameo != "190" or not actors:          # fight, battle, clash, fire at: not shooting or shelling
        return False
    if any(a.sector in ARMED_SECTORS for a in actors):
        return False
    if all(a.kind in INDIVIDUAL_KINDS for a in actors) or _out_of_government(sources):
        return True
    return bool(sources) and bool(targets) and all(a.kind in INDIVIDUAL_KINDS or a.sector in TALKING_SECTORS
                                                   for a in actors)


def _verbal_attack(cameo: str, sources: list[Mention], targets: list[Mention]) -> bool:
    """"Trump's attacks on Bill Clinton", "Carson attacked the program": an attack in words (CAMEO 111)
    when nobody armed is named and the attacker is a person out of government or the attacked are
    persons or talking groups (parties, media, courts)."""
    if cameo != "180" or not sources or any(a.sector in ARMED_SECTORS for a in (*sources, *targets)):
        return False
    return _out_of_government(sources) or (bool(targets) and all(
        _someone(t) or t.sector in TALKING_SECTORS for t in targets))


def _out_of_government(sources: list[Mention]) -> bool:
    """Every source is a named person out of government: a candidate, a senator, a commentator."""
    return bool(sources) and all(_someone(s) and s.sector != "GOV" for s in sources)


def _someone(m: Mention) -> bool:
    """A person the text names and the coder placed (an unplaced name may be a misread place)."""
    return m.kind in INDIVIDUAL_KINDS and bool(m.code)


def _events(doc: Doc, tok: Token, end: int, cameo: str, sources, targets, specific: bool) -> list[Event]:
    if _metaphorical(cameo, list(sources), list(targets)):
        return []
    if _verbal_attack(cameo, list(sources), list(targets)):
        cameo = VERBAL_ATTACK
    out = []
    for s, t in pairs(cameo, sources, targets):
        if s is None and t is None:
            continue
        conf = 0.4 + 0.25 * (s is not None) + 0.2 * (t is not None) + 0.1 * specific
        out.append(Event(tok.sent.start, tok.i, end, tok.i, recode_for_source(cameo, s), s, t,
                         confidence=round(min(conf, 0.95), 2)))
    return out


@Language.factory("tidings_events")
class EventStage:
    """Sets ``doc._.events`` from the verb and noun lexicons and ``doc._.mentions``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        verb_patterns(), noun_patterns()

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta_spans
        events: list[Event] = []
        used: set[int] = set()
        for tok in doc:
            if any(s <= tok.idx < e for s, e in meta):
                continue
            events += verb_events(doc, tok, used) or demand_events(doc, tok)
        for tok in doc:
            if tok.i not in used and not any(s <= tok.idx < e for s, e in meta):
                events += noun_events(doc, tok)
        sent_index = {s.start: i for i, s in enumerate(doc.sents)}
        for e in events:
            e.sentence = sent_index[e.sentence]
        doc._.events = _dedupe(events)
        return doc


def _dedupe(events: list[Event]) -> list[Event]:
    seen, out = set(), []
    for e in events:
        key = (e.head, id(e.source), id(e.target))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
