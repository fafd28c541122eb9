"""The CAMEO codebook: Goldstein value, quad class and PLOVER type of each event code."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .data import data_path, read_table, split_list

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: tuple[str, ...]


@cache
def codebook() -> dict[str, CameoCode]:
    """All CAMEO codes from ``data/cameo.tsv``, keyed by code."""
    book = {}
    for row in read_table(data_path("cameo.tsv")):
        book[row["code"]] = CameoCode(
            code=row["code"], name=row["name"], goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]), plover=row["plover"] or None,
            plover_mode=row["plover_mode"] or None, plover_context=tuple(split_list(row["plover_context"])))
    return book


def lookup(code: str) -> CameoCode:
    """The entry of a CAMEO code; unknown codes raise KeyError."""
    return codebook()[code]
