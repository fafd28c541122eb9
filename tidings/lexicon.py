"""The event lexicons: CAMEO verb patterns and nominal triggers, read from ``data/lexicon``."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from .cameo import codebook
from .data import data_path, read_table, split_list
from .errors import DataFileError


@dataclass(frozen=True)
class VerbPattern:
    cameo: str
    verb: str
    particles: frozenset[str]
    objects: frozenset[str]
    context: frozenset[str]
    order: int

    @property
    def specificity(self) -> int:
        return 2 * bool(self.objects) + bool(self.particles) + bool(self.context)


@dataclass(frozen=True)
class NounPattern:
    cameo: str
    noun: str
    preps: frozenset[str]


def _checked(code: str, where: str) -> str:
    if code not in codebook() and code != "---":      # "---": not an event (verbs.tsv)
        raise DataFileError("E201", detail=f"{where}: unknown CAMEO code {code!r}")
    return code


@cache
def verb_patterns() -> dict[str, list[VerbPattern]]:
    """Verb lemma -> patterns, most specific first."""
    index: dict[str, list[VerbPattern]] = defaultdict(list)
    for order, row in enumerate(read_table(data_path("lexicon", "verbs.tsv"))):
        code = _checked(row["cameo"], row["_where"])
        lower = lambda cell: frozenset(w.lower() for w in split_list(cell))
        for verb in split_list(row["verb"]):
            index[verb.lower()].append(VerbPattern(code, verb.lower(), lower(row["particle"]),
                                                   lower(row["object"]), lower(row["context"]), order))
    for pats in index.values():
        pats.sort(key=lambda p: (-p.specificity, p.order))
    return dict(index)


@cache
def noun_patterns() -> dict[str, NounPattern]:
    """Noun lemma -> pattern."""
    index = {}
    for row in read_table(data_path("lexicon", "nouns.tsv")):
        code = _checked(row["cameo"], row["_where"])
        for noun in split_list(row["noun"]):
            index.setdefault(noun.lower(), NounPattern(code, noun.lower(), frozenset(split_list(row["prep"]))))
    return index
