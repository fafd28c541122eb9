"""Quotes: who said what.

The cue words are read from ``data/lexicon/quote_cues.tsv`` (speech and cognition verbs, a few nouns,
"according to"). Attributions found:

- indirect: a cue verb and its complement clause ("X said (that) ...", "..., X said", "X warned on
  Monday that ...", "Russia, he said, will ..."), a cue noun and its clause ("his claim that ..."),
  "according to X", and headlines of the form "Sanders: Brexit's message could draw Trump support";
- direct: text between quotation marks (“ ” " " '' '' « » ‘ ’), across sentences and, when a paragraph
  leaves its quote open and the next one reopens it, across paragraphs. It is attributed by the cue verb
  whose complement lies inside the marks, by a speech verb right after the closing mark ("...,” he said")
  or right before the opening one ("He said: “..."), by the clause a colon ends ("Trump went further:
  “..."), or by the speech verb that governs a partial quote ("said he would “fight back”"). One
  speaker's quote interrupted by its attribution ("“...,” he said, “...”") or continued after it in the
  same paragraph is one quote, from the first opening mark to the last closing one.

The speaker is the cue's subject (or a passive's agent, or the object of "according to"): an actor
mention; a pronoun or relative pronoun resolved to the mention it stands for but kept at its own offsets,
so the record points at the words in the text; or any other noun phrase as an unresolved mention (name,
kb_id, country and sector null, code "").

Each item of ``doc._.quotes`` is a :class:`Quote` with its ``speaker`` (a :class:`Mention` or None), the
token and character offsets of its content, and ``as_dict()`` in the contract's Quote format. Stance and
intent verbs ("endorsed X", "plans to ...") are not quote cues: their complements are not claims.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .actors import Mention, resolve_pronoun
from .data import data_path, read_table, split_list

# quotation marks with distinct opening and closing forms; "„" closes with "“" (German style)
PAIRED_MARKS = {"“": "”", "«": "»", "„": "“", "‘": "’"}
# quotation marks that open and close alike; the doubled apostrophe is the NYT's typewriter quote
TOGGLE_MARKS = ("''", '"')
MARK_RE = re.compile("|".join(re.escape(m) for m in (*TOGGLE_MARKS, *PAIRED_MARKS,
                                                     *PAIRED_MARKS.values())))
SINGLE_OPEN = "‘"                 # nested or headline quote: only opens where no double quote is open
VERB_POS = {"VERB", "AUX"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# dependents through which a cue verb with no subject of its own shares its head's subject
# ("..., saying that ...", "smiled and said ...", "went on to say ...")
SHARED_SUBJECT_DEPS = {"advcl", "xcomp", "conj", "pcomp", "prep"}
MAX_SUBJECT_CLIMB = 4
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "them"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
GROUP_WINDOW_SENTS = 1            # "they" resolves to a group or place this many sentences back, at most
# parts of a speaker phrase cut off at its right: "Stein, who is ineligible ..." -> "Stein"
SPEAKER_CUT_DEPS = {"relcl", "acl", "advcl", "punct"}
# The three windows below were set by hand and checked on the first 250 articles of PolNeAR's training
# split (bench/quotes_eval.py --gold polnear_train.jsonl --limit 250); F1 moves < 0.005 within +-50%.
# tokens between a closing mark and its speech verb ("...,” said Corey Lewandowski, the former ...")
MAX_TRAIL_TOKENS = 20
# tokens between a speech verb and the opening mark it introduces ("Lewandowski told CNN Monday: “...")
MAX_LEAD_TOKENS = 12
# tokens between two quotes of one speaker in one paragraph ("“...,” the senator said. “...”")
MAX_CONTINUATION_GAP = 14
SENTENCE_ENDS = {".", "!", "?", ";"}
# "Clinton to Planned Parenthood: ...": characters between a headline's speaker and its colon
MAX_LABEL_TAIL_CHARS = 30
INTRODUCERS = {":", ",", "—", "–"}     # punctuation between a speech verb and the quote it introduces
# a speech verb's dependents that may stand right before its quote ("told reporters “...")
INTRODUCED_DEPS = {"dobj", "npadvmod", "advmod", "dative"}
EDGE_PUNCT = " \t\n,;:—–-"          # trimmed from the ends of a content span


@dataclass(frozen=True)
class CueRule:
    """How one cue word attributes: the dependents that hold its content, and whether it is a speech
    verb that can introduce an adjacent direct quote."""
    cue: str
    pos: str
    content: tuple[str, ...]
    speech: bool
    claim: bool


@dataclass(frozen=True)
class Cues:
    """The cue lexicon by kind: verb lemma, noun lemma, preposition phrase (as a tuple of words)."""
    verbs: dict[str, CueRule]
    nouns: dict[str, CueRule]
    preps: dict[tuple[str, ...], CueRule]


@cache
def cues() -> Cues:
    """The cue lexicon, read once from ``data/lexicon/quote_cues.tsv``."""
    verbs, nouns, preps = {}, {}, {}
    for row in read_table(data_path("lexicon", "quote_cues.tsv")):
        if not row["content"]:
            continue                   # a verb for the status stage only
        rule = CueRule(row["cue"].lower(), row["pos"], tuple(split_list(row["content"])),
                       row["speech"] == "yes", row["claim"] != "no")
        if rule.pos == "verb":
            verbs.setdefault(rule.cue, rule)
        elif rule.pos == "noun":
            nouns.setdefault(rule.cue, rule)
        else:
            preps.setdefault(tuple(rule.cue.split()), rule)
    return Cues(verbs, nouns, preps)


@dataclass
class Quote:
    """One attribution: ``speaker`` said ``content`` (``kind`` direct or indirect), cued by ``cue``."""
    kind: str
    speaker: Mention | None
    cue_start: int                 # token offsets of the cue
    cue_end: int
    content_start: int             # token offsets of the content (the tokens the content overlaps)
    content_end: int
    content_start_char: int
    content_end_char: int
    cue_span: dict
    content_text: str
    claim: bool = True             # False when the cue asks, urges or promises ("urged Russia to ...")

    def as_dict(self) -> dict:
        return {"speaker": self.speaker.as_actor() if self.speaker else None, "cue": dict(self.cue_span),
                "content": {"text": self.content_text, "start": self.content_start_char,
                            "end": self.content_end_char},
                "kind": self.kind}


def make_quote(doc: Doc, kind: str, speaker: Mention | None, cue: Span, start_char: int,
               end_char: int, text: str | None = None) -> Quote | None:
    """A Quote over ``doc.text[start_char:end_char]`` trimmed of edge punctuation; None if empty.
    Pass ``text`` (``doc.text``) when calling often: spaCy rebuilds ``doc.text`` on each access."""
    text = doc.text if text is None else text
    start_char, end_char = _trim(text, start_char, end_char)
    if end_char <= start_char:
        return None
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    cue_span = {"text": cue.text, "start": cue.start_char, "end": cue.end_char}
    return Quote(kind, speaker, cue.start, cue.end, span.start, span.end, start_char, end_char, cue_span,
                 text[start_char:end_char])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


# ---------------------------------------------------------------- quotation marks

@dataclass
class Marked:
    """Text between quotation marks: ``start``/``end`` include the marks, ``inner_*`` do not."""
    start: int
    end: int
    inner_start: int
    inner_end: int
    open_end: bool = False          # the paragraph ended before the quote was closed
    quote: Quote | None = None      # the quote it was attributed to


def quote_marks(text: str) -> list[Marked]:
    """Quoted stretches of ``text``, a quote left open at a paragraph's end joined to the next
    paragraph's quote when that paragraph opens with a quotation mark."""
    found: list[Marked] = []
    pos = 0
    for line in text.split("\n"):
        found.extend(_line_marks(line, pos))
        pos += len(line) + 1
    return _join_paragraphs(text, found)


def _line_marks(line: str, offset: int) -> list[Marked]:
    found: list[Marked] = []
    opened: tuple[int, str] | None = None          # (position of the opening mark, the mark)
    for match in MARK_RE.finditer(line):
        i, mark = match.start(), match.group()
        if opened is not None and _closes(opened[1], mark, line, i):
            start = offset + opened[0]
            found.append(Marked(start, offset + i + len(mark), start + len(opened[1]), offset + i))
            opened = None
        elif _opens(mark, line, i, opened):
            opened = (i, mark)
    if opened is not None and opened[1] != SINGLE_OPEN:     # an unclosed ‘ is an apostrophe ("the ‘90s")
        start = offset + opened[0]
        end = offset + len(line)
        found.append(Marked(start, end, start + len(opened[1]), end, open_end=True))
    return found


def _closes(open_mark: str, mark: str, line: str, i: int) -> bool:
    if open_mark in TOGGLE_MARKS:
        return mark == open_mark
    if mark != PAIRED_MARKS[open_mark]:
        return False
    # a single closing quote is also the apostrophe: it closes only where no letter follows
    return mark != "’" or i + 1 >= len(line) or not line[i + 1].isalpha()


def _opens(mark: str, line: str, i: int, opened: tuple[int, str] | None) -> bool:
    if mark == SINGLE_OPEN:
        return opened is None and (i == 0 or not line[i - 1].isalnum())
    if mark in TOGGLE_MARKS:
        return opened is None
    # a second opening double mark restarts an unclosed quote
    return mark in PAIRED_MARKS and (opened is None or opened[1] != SINGLE_OPEN)


def _join_paragraphs(text: str, found: list[Marked]) -> list[Marked]:
    joined: list[Marked] = []
    for m in found:
        prev = joined[-1] if joined else None
        if prev is not None and prev.open_end and not text[prev.end:m.start].strip():
            joined[-1] = Marked(prev.start, m.end, prev.inner_start, m.inner_end, m.open_end)
        else:
            joined.append(m)
    return [m for m in joined if text[m.inner_start:m.inner_end].strip()]


def _mark_covering(marks: list[Marked], char: int) -> Marked | None:
    return next((m for m in marks if m.inner_start <= char < m.inner_end), None)


# ---------------------------------------------------------------- speakers

def speaker_token(verb: Token) -> Token | None:
    """The speaker of a cue verb: its subject, the agent of a passive ("was announced by X"), or for a
    verb with no subject of its own ("..., saying ...", "officials who said ...") its head's."""
    node = verb
    for _ in range(MAX_SUBJECT_CLIMB):
        deps = {c.dep_: c for c in node.children}
        if "agent" in deps:
            return next((g for g in deps["agent"].children if g.dep_ == "pobj"), None)
        if "nsubjpass" in deps or "auxpass" in deps:
            return None                          # "Clinton was asked ...": the subject is the listener
        subject = deps.get("nsubj") or deps.get("csubj")
        if subject is not None:
            return subject
        if node.dep_ in {"relcl", "acl"}:
            return node.head
        if node.dep_ not in SHARED_SUBJECT_DEPS or node.head.i == node.i:
            return None
        node = node.head
    return None


def speaker_mention(doc: Doc, tok: Token) -> Mention:
    """The actor a speaker token stands for; pronouns keep their own offsets with the identity of the
    mention they resolve to, and a phrase that names no known actor becomes an unresolved mention."""
    low = tok.lower_
    if low in PERSON_PRONOUNS:
        return _at_token(doc, resolve_pronoun(doc, tok), tok)
    if low in GROUP_PRONOUNS:
        return _at_token(doc, _resolve_group(doc, tok), tok)
    if low in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":    # "officials who said ..."
        return _at_token(doc, _mention_of(doc, tok.head.head), tok)
    found = _mention_of(doc, tok)
    return found if found is not None else _phrase(doc, tok)


def _at_token(doc: Doc, mention: Mention | None, tok: Token) -> Mention:
    if mention is None:
        return _unresolved(doc[tok.i:tok.i + 1])
    return dataclasses.replace(mention, start=tok.i, end=tok.i + 1, start_char=tok.idx,
                               end_char=tok.idx + len(tok.text), text=tok.text)


def _resolve_group(doc: Doc, tok: Token) -> Mention | None:
    """The last group, organisation or place mentioned in this sentence or the ones just before."""
    first = tok.sent.start
    for _ in range(GROUP_WINDOW_SENTS):
        first = doc[first - 1].sent.start if first > 0 else first
    best = None
    for m in doc._.mentions:
        if m.start >= tok.i:
            break
        if m.start >= first and not m.is_person and not m.modifier:
            best = m
    return best


def _mention_of(doc: Doc, tok: Token) -> Mention | None:
    """The mention at a noun phrase's head, else in its apposition, modifiers or "of"-phrase."""
    index = doc._.mention_index
    if tok.i in index:
        return index[tok.i]
    for dep in ("appos", "compound", "poss", "amod", "nmod", "prep"):
        for c in tok.children:
            if c.dep_ != dep:
                continue
            if dep == "prep" and c.lower_ in {"of", "from", "at", "in"}:
                c = next((g for g in c.children if g.dep_ == "pobj"), c)
            if c.i in index:
                return index[c.i]
    return None


def _phrase(doc: Doc, tok: Token) -> Mention:
    """The speaker's noun phrase up to a relative clause ("Stein, who is ineligible, ..." -> "Stein")."""
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ in SPEAKER_CUT_DEPS:
            break
        end = c.right_edge.i + 1
    span = doc[tok.left_edge.i:end]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    return _unresolved(span)


def _unresolved(span: Span) -> Mention:
    return Mention(span.start, span.end, span.start_char, span.end_char, span.text, kind="phrase",
                   resolved=False)


def _speaker(doc: Doc, verb: Token) -> Mention | None:
    tok = speaker_token(verb)
    return speaker_mention(doc, tok) if tok is not None else None


# ---------------------------------------------------------------- cue verbs and their complements

def _edges(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)


def complement(tok: Token, rule: CueRule) -> tuple[int, int, Token] | None:
    """(start_char, end_char, root) of the content a cue word governs, by the rule's dependents in
    order; for a parenthetical speech verb ("Russia, he said, will ...") the clause around it."""
    for dep in rule.content:
        found = _complement_by(tok, dep)
        if found is not None:
            return found
    if "parataxis" in rule.content and tok.dep_ == "parataxis":
        start, end = _edges(tok.head)
        return max(start, tok.sent.start_char), min(end, tok.sent.end_char), tok.head
    return None


def _complement_by(tok: Token, dep: str) -> tuple[int, int, Token] | None:
    """The content under one complement spec: a label ("ccomp"), the object of a preposition
    ("prep:for"), or several joined ("dobj+oprd": "called the deal a disaster")."""
    if dep.startswith("prep:"):
        prep = _dependent(tok, dep)
        objs = [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}] if prep is not None else []
        return (*_edges(objs[0]), objs[0]) if objs else None
    parts = [_dependent(tok, part) for part in dep.split("+")]
    if not parts or None in parts:
        return None
    return min(_edges(c)[0] for c in parts), max(_edges(c)[1] for c in parts), parts[0]


def _dependent(tok: Token, dep: str) -> Token | None:
    """The dependent of ``tok`` with label ``dep`` nearest to it, or its preposition ``prep:WORD``."""
    if dep.startswith("prep:"):
        found = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == dep[5:]]
    else:
        found = [c for c in tok.children if c.dep_ == dep]
    return min(found, key=lambda t: abs(t.i - tok.i), default=None)


def _paragraph_part(text: str, start: int, end: int, anchor: int) -> tuple[int, int]:
    """The part of ``text[start:end]`` in the paragraph (line) of ``anchor``."""
    first = text.rfind("\n", 0, anchor) + 1
    last = text.find("\n", anchor)
    return max(start, first), min(end, last if last >= 0 else len(text))


def _inside(marks: list[Marked], tok: Token) -> bool:
    return _mark_covering(marks, tok.idx) is not None


def verb_quotes(doc: Doc, text: str, rules: Cues, marks: list[Marked]) -> list[Quote]:
    """A quote for each cue verb with a complement; a complement inside quotation marks makes the
    whole marked stretch a direct quote."""
    quotes = []
    for tok in doc:
        rule = rules.verbs.get(tok.lemma_.lower())
        if rule is None or tok.pos_ not in VERB_POS:
            continue
        found = complement(tok, rule)
        if found is None:
            continue
        start, end, root = found
        mark = None if _inside(marks, tok) else _mark_covering(marks, root.idx)
        if mark is not None and mark.quote is None:
            start, end = mark.inner_start, mark.inner_end
        elif mark is None:
            start, end = _paragraph_part(text, start, end, tok.idx)
        q = make_quote(doc, "direct" if mark else "indirect", _speaker(doc, tok), doc[tok.i:tok.i + 1],
                       start, end, text)
        if q is not None:
            q.claim = rule.claim
            quotes.append(q)
            if mark is not None and mark.quote is None:
                mark.quote = q
    return quotes


def noun_quotes(doc: Doc, text: str, rules: Cues) -> list[Quote]:
    """"Russia's claim that ...": the clause of a cue noun, its possessor the speaker."""
    quotes = []
    for tok in doc:
        rule = rules.nouns.get(tok.lemma_.lower())
        if rule is None or tok.pos_ != "NOUN":
            continue
        found = complement(tok, rule)
        if found is None or not any(c.lower_ == "that" for c in found[2].children if c.dep_ == "mark"):
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        speaker = speaker_mention(doc, owner) if owner is not None else None
        q = make_quote(doc, "indirect", speaker, doc[tok.i:tok.i + 1], found[0], found[1], text)
        if q is not None:
            q.claim = rule.claim
            quotes.append(q)
    return quotes


def prep_quotes(doc: Doc, text: str, rules: Cues) -> list[Quote]:
    """"..., according to X": the rest of the sentence, said by X."""
    quotes = []
    for tok in doc:
        for words, rule in rules.preps.items():
            if tok.lower_ != words[0] or doc[tok.i:tok.i + len(words)].text.lower().split() != list(words):
                continue
            last = doc[tok.i + len(words) - 1]
            obj = next((c for c in last.children if c.dep_ in rule.content), None)
            phrase_end = (obj.right_edge.i if obj is not None else last.i) + 1
            speaker = speaker_mention(doc, obj) if obj is not None else None
            q = _rest_of_sentence(doc, text, doc[tok.i:last.i + 1], phrase_end, speaker)
            if q is not None:
                quotes.append(q)
    return quotes


def _rest_of_sentence(doc: Doc, text: str, cue: Span, phrase_end: int,
                      speaker: Mention | None) -> Quote | None:
    """The longer side of the sentence around "according to X"."""
    sent = cue.sent
    before = doc[sent.start:cue.start]
    after = doc[phrase_end:sent.end]
    side = before if len(before) >= len(after) else after
    if not side:
        return None
    return make_quote(doc, "indirect", speaker, cue, side.start_char, side.end_char, text)


def label_quotes(doc: Doc, text: str) -> list[Quote]:
    """Headline attributions, "Sanders: Brexit's message could draw Trump support": a line that opens
    with an actor mention and a colon; the rest of the line is the content."""
    quotes = []
    for m in doc._.mentions:
        colon = _label_colon(text, m)
        cue = doc.char_span(colon, colon + 1) if colon is not None else None
        if cue is None:
            continue
        line_end = text.find("\n", colon)
        q = make_quote(doc, "indirect", m, cue, colon + 1, len(text) if line_end < 0 else line_end, text)
        quotes += [q] if q is not None else []
    return quotes


def _label_colon(text: str, m: Mention) -> int | None:
    """The offset of the colon after a mention that opens a line ("Roger Stone: ..."), if any."""
    line_start = text.rfind("\n", 0, m.start_char) + 1
    if text[line_start:m.start_char].strip():
        return None
    colon = text.find(":", m.end_char, m.end_char + MAX_LABEL_TAIL_CHARS)
    if colon < 0 or "\n" in text[m.end_char:colon] or colon + 1 >= len(text) or not text[colon + 1].isspace():
        return None
    return colon


# ---------------------------------------------------------------- direct quotes by their neighbours

class DirectAttributor:
    """Attributes the quoted stretches no cue verb's complement claimed, in text order."""

    def __init__(self, doc: Doc, text: str, rules: Cues, quotes: list[Quote]) -> None:
        self.doc = doc
        self.text = text
        self.starts = [t.idx for t in doc]
        self.rules = rules
        self.quotes = quotes
        self.by_cue = {q.cue_start: q for q in quotes}
        self.last: Quote | None = None           # the direct quote attributed last

    def attribute(self, mark: Marked) -> None:
        if mark.quote is not None:
            self.last = mark.quote if mark.quote.kind == "direct" else None
            return
        verb = self._trailing_verb(mark) or self._leading_verb(mark)
        colon = self._colon_before(mark) if verb is None else None
        if verb is not None:
            self._attach(mark, verb)
        elif colon is not None:
            self._attach_to_colon(mark, colon)
        elif self._continues(mark):
            self._extend(self.last, mark)
        else:
            verb = self._governing_verb(mark)
            if verb is not None:
                self._attach(mark, verb)

    def _token_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def _is_speech_verb(self, tok: Token) -> bool:
        rule = self.rules.verbs.get(tok.lemma_.lower())
        return rule is not None and rule.speech and tok.pos_ in VERB_POS

    def _trailing_verb(self, mark: Marked) -> Token | None:
        """"...,” he said" / "...?” asked Smith": a speech verb in the clause after the closing mark."""
        text = self.text
        ends_sentence = text[mark.inner_start:mark.inner_end].rstrip()[-1:] == "."
        i = self._token_after(mark.end)
        for tok in self.doc[i:i + MAX_TRAIL_TOKENS]:
            if tok.text in SENTENCE_ENDS or "\n" in tok.text or _is_mark(tok.text):
                return None
            if ends_sentence and tok.i == i and tok.text[:1].isupper() and not self._is_speech_verb(tok):
                return None                      # a new sentence begins after the quote
            if self._is_speech_verb(tok):
                return tok
        return None

    def _leading_verb(self, mark: Marked) -> Token | None:
        """The cue verb that introduces an opening mark: "He said: “...”", "Smith told CNN, “...”", or a
        paragraph ending "... released this statement:" before a quoted paragraph."""
        i = self._token_after(mark.start)
        prev = next((t for t in reversed(self.doc[max(0, i - MAX_LEAD_TOKENS):i]) if not t.is_space), None)
        if prev is None:
            return None
        if "\n" in self.text[prev.idx:mark.start]:
            return self._verb_before(prev.i, speech_only=False) if prev.text == ":" else None
        if prev.text in INTRODUCERS:
            return self._verb_before(prev.i, speech_only=True)
        if self._is_speech_verb(prev):
            return prev
        head = prev.head
        return head if prev.dep_ in INTRODUCED_DEPS and self._is_speech_verb(head) else None

    def _verb_before(self, i: int, speech_only: bool) -> Token | None:
        for tok in reversed(self.doc[max(0, i - MAX_LEAD_TOKENS):i]):
            if tok.text in SENTENCE_ENDS or "\n" in tok.text or _is_mark(tok.text):
                return None
            rule = self.rules.verbs.get(tok.lemma_.lower())
            if rule is not None and tok.pos_ in VERB_POS and (rule.speech or not speech_only):
                return tok
        return None

    def _colon_before(self, mark: Marked) -> Token | None:
        """The colon right before an opening mark ("Trump went even further: “...”")."""
        i = self._token_after(mark.start)
        prev = next((t for t in reversed(self.doc[max(0, i - MAX_LEAD_TOKENS):i]) if not t.is_space), None)
        return prev if prev is not None and prev.text == ":" else None

    def _attach_to_colon(self, mark: Marked, colon: Token) -> None:
        """A quote after a colon with no speech verb: said by the subject of the clause the colon ends,
        else by the last actor mentioned in it ("More from Jones: “...”")."""
        clause = self.doc[colon.sent.start:colon.i]
        subject = next((t for t in clause if t.dep_ in SUBJECT_DEPS and t.head.i == clause.root.i), None)
        if subject is not None:
            speaker = speaker_mention(self.doc, subject)
        else:
            inside = (m for m in reversed(self.doc._.mentions) if clause.start <= m.start < clause.end)
            speaker = next(inside, None)
        if speaker is None:
            return
        q = make_quote(self.doc, "direct", speaker, self.doc[colon.i:colon.i + 1], mark.inner_start,
                       mark.inner_end, self.text)
        if q is not None:
            self.quotes.append(q)
            mark.quote = self.last = q

    def _governing_verb(self, mark: Marked) -> Token | None:
        """"said he would “fight back”": the nearest speech verb above a partial quote in its sentence."""
        span = self.doc.char_span(mark.inner_start, mark.inner_end, alignment_mode="expand")
        if span is None:
            return None
        node = span.root
        while node.head.i != node.i:
            node = node.head
            if self._is_speech_verb(node):
                return node
        return None

    def _continues(self, mark: Marked) -> bool:
        """The previous direct quote of the paragraph, with at most its attribution in between."""
        last = self.last
        if last is None or last.content_end_char > mark.start:
            return False
        gap = self.text[last.content_end_char:mark.start]
        if "\n" in gap:
            return False
        between = self.doc[last.content_end:self._token_after(mark.start)]
        return len(between) <= MAX_CONTINUATION_GAP and (
            last.cue_start >= last.content_end or not any(t.is_alpha for t in between))

    def _attach(self, mark: Marked, verb: Token) -> None:
        known = self.by_cue.get(verb.i)
        if known is not None and known.content_start_char <= mark.inner_start < known.content_end_char:
            mark.quote = known                   # a partial quote inside the verb's own content
            return
        if known is not None and known.kind == "direct":
            self._extend(known, mark)
            return
        q = make_quote(self.doc, "direct", _speaker(self.doc, verb), self.doc[verb.i:verb.i + 1],
                       mark.inner_start, mark.inner_end, self.text)
        if q is not None:
            q.claim = self.rules.verbs[verb.lemma_.lower()].claim
            self.quotes.append(q)
            self.by_cue.setdefault(verb.i, q)
            mark.quote = self.last = q

    def _extend(self, q: Quote, mark: Marked) -> None:
        start, end = min(q.content_start_char, mark.inner_start), max(q.content_end_char, mark.inner_end)
        cue = self.doc[q.cue_start:q.cue_end]
        grown = make_quote(self.doc, q.kind, q.speaker, cue, start, end, self.text)
        if grown is None:
            return
        grown.claim = q.claim
        for field in dataclasses.fields(Quote):
            setattr(q, field.name, getattr(grown, field.name))
        mark.quote = self.last = q


def _is_mark(text: str) -> bool:
    return any(m in text for m in TOGGLE_MARKS) or any(c in PAIRED_MARKS or c in PAIRED_MARKS.values()
                                                        for c in text if c != "’")


# ---------------------------------------------------------------- the stage

def find_quotes(doc: Doc, rules: Cues | None = None) -> list[Quote]:
    """Every attribution in ``doc`` (needs ``doc._.mentions``), in text order."""
    rules = rules or cues()
    text = doc.text
    marks = quote_marks(text)
    quotes = verb_quotes(doc, text, rules, marks)
    attributor = DirectAttributor(doc, text, rules, quotes)
    for mark in marks:
        attributor.attribute(mark)
    quotes += noun_quotes(doc, text, rules) + prep_quotes(doc, text, rules) + label_quotes(doc, text)
    return _distinct(quotes)


def _distinct(quotes: list[Quote]) -> list[Quote]:
    """One quote per content span, in text order (shorter first where two start together)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for q in sorted(quotes, key=lambda q: (q.content_start_char, q.content_end_char)):
        key = (q.content_start_char, q.content_end_char)
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


@Language.factory("tidings_quotes")
class QuoteStage:
    """Sets ``doc._.quotes`` (a list of :class:`Quote`); needs ``doc._.mentions`` from tidings_actors."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.rules = cues()

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = find_quotes(doc, self.rules)
        return doc
