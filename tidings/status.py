"""Status of each event: asserted, reported (with the speaker), negated or hypothetical.

- negated: the trigger (or its auxiliary) is negated, its subject is "neither ... nor", or a governing
  verb denies it ("refused to meet");
- hypothetical: a modal auxiliary, a governing verb of intent or demand ("plans to attack", "urged Russia
  to withdraw"), a noun of possibility ("the threat of sanctions"), or a condition ("if Russia attacks");
- reported: the trigger lies in a clause governed by a speech or cognition verb ("X said ...") or under
  "according to X"; ``reported_by`` is that verb's subject, pronouns resolved to their person.
Negation and hypothesis are looked for only between the trigger and the nearest speech verb, so that
"neither Minsk nor Moscow seeks conflict" does not negate an event in another clause.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from .actors import Mention
from .data import data_path, read_table
from .events import Event, actors_of

# How a claim hangs from its speech verb: "said (that) X", "X, he said", "accused Y *of* doing X"
SPEECH_LINKS = {"ccomp", "parataxis", "advcl", "conj", "xcomp", "dobj", "prep"}
# Only these prepositions carry the claim ("accused Y *of* massing troops", "blamed Y *for* the attack");
# "*In* a discussion with X, Y said ..." is the outlet's own statement.
CLAIM_PREPS = {"of", "for"}


@dataclass(frozen=True)
class Cues:
    modal: frozenset[str]
    future: frozenset[str]
    neg: frozenset[str]
    govern: dict
    noun: frozenset[str]
    mark: frozenset[str]
    speech: frozenset[str]


@cache
def cues() -> Cues:
    rows = list(read_table(data_path("lexicon", "status_cues.tsv")))
    kind = lambda k: frozenset(r["cue"] for r in rows if r["kind"] == k)
    govern = {r["cue"]: r["status"] for r in rows if r["kind"] == "govern"}
    return Cues(kind("modal"), kind("future"), kind("neg"), govern, kind("noun"), kind("mark"),
                frozenset(r["cue"] for r in read_table(data_path("lexicon", "quote_cues.tsv"))
                          if r["status"] == "reported"))


def _negated(tok: Token, c: Cues) -> bool:
    for child in tok.children:
        if child.dep_ == "neg" or (child.dep_ in {"det", "advmod"} and child.lower_ in {"no", "never"}):
            return True
        if child.dep_ in {"aux", "auxpass"} and any(g.dep_ == "neg" for g in child.children):
            return True
        if child.dep_ in {"nsubj", "nsubjpass"} and any(g.lower_ == "neither" for g in child.children):
            return True
    return False


def _modal(tok: Token, c: Cues) -> bool:
    return any(ch.dep_ in {"aux", "auxpass"} and ch.lower_ in c.modal for ch in tok.children)


def _future(tok: Token, c: Cues) -> bool:
    """A stated future action: "will provide", "would allow", "is ready to send"."""
    if any(ch.dep_ in {"aux", "auxpass"} and ch.lower_ in c.future for ch in tok.children):
        return True
    return tok.dep_ == "xcomp" and tok.head.lemma_.lower() in c.future and tok.head.pos_ == "ADJ"


@cache
def intent_codes() -> dict[str, str]:
    return {r["action"]: r["intent"] for r in read_table(data_path("lexicon", "intent_codes.tsv"))}


def intent_of(cameo: str) -> str | None:
    """The CAMEO intent (03x) or threat (13x) code of a future action, by longest prefix."""
    table = intent_codes()
    for n in range(len(cameo), 1, -1):
        if cameo[:n] in table:
            return table[cameo[:n]]
    return None


def _conditional(tok: Token, c: Cues) -> bool:
    return any(ch.dep_ == "mark" and ch.lower_ in c.mark for ch in tok.children)


def status_of(doc: Doc, event: Event, refusal: bool = False) -> tuple[str, Mention | None]:
    """(status, reporter) of one event; for a refusal ("refused to meet") the negation that makes it
    one is not counted again."""
    c = cues()
    tok = doc[event.head]
    if _negated(tok, c) and not refusal:
        return "negated", None
    if _modal(tok, c) or _conditional(tok, c):
        return "hypothetical", None
    if _future(tok, c) and intent_of(event.cameo) is None:
        return "hypothetical", None
    child, node = tok, tok.head
    steps = 0
    while node.i != child.i and steps < 12:
        steps += 1
        lemma = node.lemma_.lower()
        if node.pos_ in {"VERB", "AUX"} and lemma in c.speech and child.dep_ in SPEECH_LINKS and \
                (child.dep_ != "prep" or child.lower_ in CLAIM_PREPS):
            if child.dep_ == "xcomp" and lemma in c.govern:
                return _governed(c, lemma, doc, node, event)
            return "reported", _speaker(doc, node)
        if lemma in c.govern and _infinitive(child) and node.pos_ in {"VERB", "ADJ", "AUX"} and \
                not (refusal and lemma in refusals()[0] and child is tok):
            return _governed(c, lemma, doc, node, event)
        if node.pos_ == "NOUN" and lemma in c.noun and child.dep_ in {"prep", "pobj", "acl", "pcomp"}:
            return "hypothetical", None
        if node.pos_ in {"VERB", "AUX"} and node is not tok and child.dep_ in {"ccomp", "xcomp", "advcl"}:
            if _negated(node, c) and child.dep_ == "xcomp":
                return "negated", None
            if _modal(node, c) or _conditional(node, c):
                return "hypothetical", None
        child, node = node, node.head
    according = _according_to(doc, tok)
    if according is not None:
        return "reported", according
    return "asserted", None


@cache
def refusals() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """(governing verbs, acceptance verbs, CAMEO root -> REJECT code) from refusals.tsv."""
    rows = list(read_table(data_path("lexicon", "refusals.tsv")))
    kind = lambda k: frozenset(r["cue"] for r in rows if r["kind"] == k)
    return kind("govern"), kind("verb"), {r["cue"]: r["cameo"] for r in rows if r["kind"] == "root"}


def refusal_code(tok: Token, cameo: str) -> str | None:
    """The REJECT code of a refused cooperation ("refused to meet", "will not accept"), else None."""
    govern, verbs, roots = refusals()
    refused = (tok.dep_ == "xcomp" and tok.head.lemma_.lower() in govern and not _negated(tok.head, cues())) \
        or (tok.lemma_.lower() in verbs and _negated(tok, cues()))
    return roots.get(cameo[:2]) if refused else None


def _infinitive(child: Token) -> bool:
    """A to-infinitive complement: "refused *to meet*", "not allow troops *to attack*"."""
    return child.dep_ == "xcomp" or (child.dep_ == "ccomp" and any(
        a.dep_ == "aux" and a.lower_ == "to" for a in child.children))


def _governed(c: Cues, lemma: str, doc: Doc, node: Token, event: Event) -> tuple[str, Mention | None]:
    status = c.govern[lemma]
    if status == "negated" and _negated(node, c):
        return "asserted", None      # "did not refuse to meet"
    return status, None


def _speaker(doc: Doc, verb: Token) -> Mention | None:
    for ch in verb.children:
        if ch.dep_ in {"nsubj", "nsubjpass"}:
            found = actors_of(doc, ch)
            return found[0] if found else None
    return None


def _according_to(doc: Doc, tok: Token) -> Mention | None:
    sent = tok.sent
    for t in sent:
        if t.lower_ == "according" and t.i + 2 < sent.end and doc[t.i + 1].lower_ == "to":
            for m in doc._.mentions:
                if t.i + 2 <= m.start < min(t.i + 8, sent.end):
                    return m
            return None
    return None


def quote_around(doc: Doc, event: Event):
    """The innermost quote whose content holds the event's trigger (needs the quotes stage)."""
    at = doc[event.head].idx
    inside = [q for q in doc._.quotes if getattr(q, "content_start_char", None) is not None
              and getattr(q, "claim", True)        # "urged X to ...": a request, not a claim
              and q.content_start_char <= at < q.content_end_char]
    return min(inside, key=lambda q: q.content_end_char - q.content_start_char) if inside else None


@Language.factory("tidings_status")
class StatusStage:
    """Sets ``status`` and ``reported_by`` on each event in ``doc._.events``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        cues()

    def __call__(self, doc: Doc) -> Doc:
        rejections = {e.head for e in doc._.events if e.cameo.startswith("12")}
        dropped = []
        for event in doc._.events:
            event.status, event.reported_by = status_of(doc, event)
            if event.status == "negated":
                refusal = refusal_code(doc[event.head], event.cameo)
                if refusal is not None and doc[event.head].head.i in rejections:
                    dropped.append(event)      # "refused to meet" is already coded on "refused"
                    continue
                if refusal is not None:        # "declined to resign": a rejection, and it happened
                    event.cameo = refusal
                    event.status, event.reported_by = status_of(doc, event, refusal=True)
            if event.status == "asserted" or (event.status == "reported" and event.reported_by is None):
                quote = quote_around(doc, event)
                if quote is not None:          # the outlet quotes it: the speaker's claim, not a fact
                    event.status, event.reported_by = "reported", quote.speaker
            if event.status in {"asserted", "reported"} and _future(doc[event.head], cues()):
                event.cameo = intent_of(event.cameo) or event.cameo
        doc._.events = [e for e in doc._.events if all(e is not d for d in dropped)]
        return doc
