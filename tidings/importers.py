"""Importers that turn other knowledge bases into tidings overlay files (``tidings kb import-*``).

- PETRARCH / Phoenix ``.actors`` dictionaries (TABARI format): an entry line ``NAME_WITH_UNDERSCORES``
  (optionally with ``[CODE]`` and ``# comment``), synonym lines ``+OTHER_NAME``, and code lines
  ``[CODE YYMMDD-YYMMDD]``, ``[CODE >YYMMDD]``, ``[CODE <YYMMDD]`` or ``[CODE]`` (dates with 2- or
  4-digit years). Entries with dated codes become persons; undated entries become organisations.
- Wikidata office-holders: the JSON that the Wikidata Query Service returns for the query in the
  README ("Importing from Wikidata"): one binding per (person, position held) with start and end.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .kb import NON_STATE

PERSON_HEADER = "kb_id\tname\taliases\tcountry\tsector\trole\ttitle\tstart\tend\tnote\n"
ORG_HEADER = "code\tname\taliases\tcountry\tsector\tnote\n"
CODE_LINE = re.compile(r"\[([A-Z~]{3,15})(?:\s+([<>]?)(\d{6,8})(?:-(\d{6,8}))?)?\]")


@dataclass
class PhoenixEntry:
    name: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)


def phoenix_date(text: str) -> dt.date | None:
    """'091201' -> 2009-12-01 (two-digit years pivot at 30), '20041207' -> 2004-12-07."""
    try:
        if len(text) == 6:
            yy = int(text[:2])
            return dt.date((2000 if yy < 30 else 1900) + yy, int(text[2:4]), int(text[4:6]))
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return None


def _name(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace("_", " ")).strip().title()


def parse_phoenix(path: Path) -> list[PhoenixEntry]:
    entries: list[PhoenixEntry] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if raw[:1] in " \t" or line.lstrip().startswith("["):
            if entries:
                entries[-1].codes += _codes(line)
        elif line.startswith("+"):
            if entries:
                entries[-1].synonyms.append(_name(line[1:]))
        else:
            head = line.split("[", 1)[0]
            entries.append(PhoenixEntry(_name(head)))
            entries[-1].codes += _codes(line[len(head):])
    return [e for e in entries if e.name and e.codes]


def _codes(text: str) -> list[tuple[str, dt.date | None, dt.date | None]]:
    out = []
    for m in CODE_LINE.finditer(text):
        code, op, a, b = m.groups()
        start = end = None
        if b:
            start, end = phoenix_date(a), phoenix_date(b)
        elif a:
            (start, end) = (phoenix_date(a), None) if op == ">" else (None, phoenix_date(a))
        out.append((code, start, end))
    return out


def phoenix_rows(entries: list[PhoenixEntry]) -> tuple[list[str], list[str]]:
    """(person rows, organisation rows) in tidings' TSV formats."""
    persons, orgs = [], []
    for e in entries:
        dated = [c for c in e.codes if c[1] or c[2]]
        if dated:
            slug = "phx:" + re.sub(r"[^a-z0-9]+", "-", e.name.lower()).strip("-")
            aliases = "|".join(dict.fromkeys(e.synonyms))
            for i, (code, start, end) in enumerate(dated):
                persons.append("\t".join([slug, e.name, aliases if i == 0 else "", code[:3], code[3:6],
                                          "OTHER", code, start.isoformat() if start else "",
                                          end.isoformat() if end else "", "imported from PETRARCH"]) + "\n")
        elif not e.codes[0][0].startswith("~"):
            code = e.codes[0][0]
            country = code[:3]
            orgs.append("\t".join([code, e.name, "|".join(e.synonyms), country,
                                   code[3:6] or (country if country in NON_STATE else ""), "imported"]) + "\n")
    return persons, orgs


def import_petrarch(src: Path, out_dir: Path) -> dict[str, int]:
    """Write ``petrarch_persons.tsv`` and ``petrarch_organizations.tsv`` overlays into ``out_dir``."""
    files = sorted(src.glob("*.actors.txt")) if src.is_dir() else [src]
    entries = [e for f in files for e in parse_phoenix(f)]
    persons, orgs = phoenix_rows(entries)
    out_dir.mkdir(parents=True, exist_ok=True)
    header = "# Imported from PETRARCH/Phoenix actor dictionaries by `tidings kb import-petrarch`.\n"
    (out_dir / "petrarch_persons.tsv").write_text(header + PERSON_HEADER + "".join(persons), encoding="utf-8")
    (out_dir / "petrarch_organizations.tsv").write_text(header + ORG_HEADER + "".join(orgs), encoding="utf-8")
    return {"files": len(files), "entries": len(entries), "person_roles": len(persons), "organizations": len(orgs)}


# ---------------------------------------------------------------- Wikidata

ROLE_WORDS = [("prime minister", "HOG", "GOV"), ("chancellor", "HOG", "GOV"), ("premier", "HOG", "GOV"),
              ("foreign", "FM", "GOV"), ("secretary of state", "FM", "GOV"), ("defence", "DM", "MIL"),
              ("defense", "DM", "MIL"), ("vice president", "VP", "GOV"), ("president", "HOS", "GOV"),
              ("king", "HOS", "GOV"), ("queen", "HOS", "GOV"), ("monarch", "HOS", "GOV")]


def _value(binding: dict, key: str) -> str:
    return (binding.get(key) or {}).get("value", "")


def wikidata_rows(data: dict) -> list[str]:
    rows = []
    for b in data["results"]["bindings"]:
        qid = _value(b, "person").rsplit("/", 1)[-1]
        position = _value(b, "positionLabel")
        role, sector = next(((r, s) for w, r, s in ROLE_WORDS if w in position.lower()), ("OTHER", "GOV"))
        country = _value(b, "countryIso3")
        if not (qid.startswith("Q") and country and _value(b, "start")):
            continue
        rows.append("\t".join([qid, _value(b, "personLabel"), _value(b, "aliases").replace(", ", "|"), country,
                               sector, role, position, _value(b, "start")[:10], _value(b, "end")[:10],
                               "imported from Wikidata"]) + "\n")
    return rows


def import_wikidata(src: Path, out: Path) -> dict[str, int]:
    """Write a persons overlay from a Wikidata Query Service JSON result."""
    rows = wikidata_rows(json.loads(src.read_text(encoding="utf-8")))
    header = "# Imported from Wikidata by `tidings kb import-wikidata`.\n"
    out.write_text(header + PERSON_HEADER + "".join(rows), encoding="utf-8")
    return {"roles": len(rows), "persons": len({r.split("\t", 1)[0] for r in rows})}
