"""Quotes: who said what. (Filled in by the quotes stage; see issue on attribution.)"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("tidings_quotes")
class QuoteStage:
    """Sets ``doc._.quotes``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []
        return doc
