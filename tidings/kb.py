"""The knowledge base: countries, organisations, sector agents and persons with dated roles.

Everything is read from plain TSV files in ``data/kb`` and ``data/lexicon`` (see ``data/kb/FORMAT.md``);
a user's overlay files (same format) add entries or override entries with the same key.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .data import data_path, read_table, read_words, split_list
from .errors import DataFileError

# Roles marked `present` are taken to hold until this day (the release date). How current each
# country's data really is, is written in its persons file (`# ISO3: knowledge current to YYYY-MM`)
# and summarised by `tidings kb stats`.
KNOWLEDGE_DATE = dt.date(2026, 11, 25)
NON_STATE = ("IGO", "NGO", "IMG", "MNC")


def parse_day(text: str, *, end: bool = False) -> tuple[dt.date | None, bool]:
    """``YYYY[-MM[-DD]][?]`` -> (date, uncertain); a partial date widens to its first (or last) day."""
    text = text.strip()
    uncertain = "?" in text
    text = text.replace("-?", "").rstrip("?")
    if not text:
        return None, uncertain
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return (dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)), uncertain
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], last if end else 1), uncertain
    return dt.date(*parts), uncertain


@dataclass(frozen=True)
class Role:
    kb_id: str
    country: str
    sector: str
    role: str
    title: str
    start: dt.date | None
    end: dt.date | None          # None with ongoing=False: unknown end
    ongoing: bool = False
    uncertain: bool = False

    def active_on(self, day: dt.date) -> bool:
        if self.start and day < self.start:
            return False
        if self.ongoing:
            return True
        return self.end is None or day <= self.end

    def term(self) -> str:
        end = "present" if self.ongoing else (self.end.isoformat() if self.end else "?")
        return f"{self.start.isoformat() if self.start else '?'} to {end}"

    @property
    def last_day(self) -> dt.date | None:
        return KNOWLEDGE_DATE if self.ongoing else self.end


@dataclass
class Person:
    kb_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    def roles_on(self, day: dt.date | None) -> list[Role]:
        return list(self.roles) if day is None else [r for r in self.roles if r.active_on(day)]


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    capital_aliases: tuple[str, ...]
    seats: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    """A sub-national region ("Rakhine State", "Donetsk Oblast", "West Bank") and the state it belongs to."""
    name: str
    aliases: tuple[str, ...]
    country: str
    kind: str
    adjectives: tuple[str, ...]
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    aliases: tuple[str, ...]
    country: str
    sector: str


@dataclass(frozen=True)
class Agent:
    """A sector noun or title: "troops" (MIL), "defence minister" (MIL, role DM)."""
    phrase: str
    sector: str
    role: str          # HOS, HOG, FM, DM, ... for titles that name one office; '' for groups
    plural: bool = False


@dataclass(frozen=True)
class Entry:
    """What a phrase in text can refer to: kind is country, demonym, capital, seat, region, org, agent,
    person. For a region the key is its country (region adjectives are demonyms of that country)."""
    kind: str
    key: str


def _plurals(phrase: str) -> list[str]:
    head, _, last = phrase.rpartition(" ")
    prefix = head + " " if head else ""
    if last.endswith("man"):
        forms = [last[:-3] + "men"]
    elif last.endswith("person"):
        forms = [last[:-6] + "people", last + "s"]
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif last.endswith(("s", "x", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [prefix + f for f in forms]


class KnowledgeBase:
    """All world knowledge tidings uses to resolve actors, loaded from data files."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.orgs: dict[str, Org] = {}
        self.regions: dict[str, Region] = {}
        self.agents: dict[str, Agent] = {}
        self.persons: dict[str, Person] = {}
        self.discards: set[str] = set()
        self.equipment: dict[str, Org] = {}        # warship prefixes, single-operator weapons
        self.spellings: dict[str, tuple[str, ...]] = {}      # word -> its other spellings (lower case)
        self._office_index: dict[tuple[str, str], list[Person]] | None = None
        self._surnames: dict[str, list[Person]] | None = None

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, overlays: Iterable[Path | str] = ()) -> KnowledgeBase:
        kb = cls()
        for path, add in ((data_path("kb", "countries.tsv"), kb.add_countries),
                          (data_path("kb", "organizations.tsv"), kb.add_orgs),
                          (data_path("kb", "institutions.tsv"), kb.add_orgs),
                          (data_path("kb", "groups.tsv"), kb.add_orgs),
                          (data_path("kb", "regions.tsv"), kb.add_regions),
                          (data_path("lexicon", "agents.tsv"), kb.add_agents)):
            if path.exists():
                add(path)
        kb.discards = read_words(data_path("lexicon", "discards.txt"))
        kb.equipment = {o.name: o for o in read_orgs(data_path("kb", "equipment.tsv"))}
        kb.spellings = read_spellings(data_path("kb", "name_spellings.txt"))
        for path in sorted(data_path("kb", "persons").glob("*.tsv")):
            kb.add_persons(path)
        for path in overlays:
            kb.add_overlay(Path(path))
        return kb

    def add_overlay(self, path: Path) -> None:
        """A user's file in one of the KB formats, recognised by its header."""
        header = next(read_table(path), None)
        if header is None:
            return
        if "iso3" in header:
            self.add_countries(path)
        elif "adjectives" in header:
            self.add_regions(path)
        elif "kb_id" in header:
            self.add_persons(path, override=True)
        elif "code" in header and "aliases" in header:
            self.add_orgs(path)
        elif "phrase" in header:
            self.add_agents(path)
        else:
            raise DataFileError("E201", detail=f"{path}: unknown columns {sorted(header)}")

    def add_countries(self, path: Path) -> None:
        for row in read_table(path):
            self.countries[row["iso3"]] = Country(
                row["iso3"], row["name"], tuple(split_list(row.get("aliases", ""))),
                tuple(split_list(row.get("demonyms", ""))), row.get("capital", ""),
                tuple(split_list(row.get("capital_aliases", ""))), tuple(split_list(row.get("seats", ""))))

    def add_regions(self, path: Path) -> None:
        for row in read_table(path):
            lat, lon = row.get("lat", ""), row.get("lon", "")
            self.regions[row["name"]] = Region(
                row["name"], tuple(split_list(row.get("aliases", ""))), row["country"], row.get("kind", ""),
                tuple(split_list(row.get("adjectives", ""))), float(lat) if lat else None,
                float(lon) if lon else None)

    def add_orgs(self, path: Path) -> None:
        for org in read_orgs(path):
            self.orgs[org.code + ":" + org.name] = org

    def add_agents(self, path: Path) -> None:
        for row in read_table(path):
            phrase = row["phrase"].lower()
            self.agents[phrase] = Agent(phrase, row["sector"], row.get("role", ""))
            if row.get("plural", "") != "no":
                for form in _plurals(phrase):
                    self.agents.setdefault(form, Agent(form, row["sector"], row.get("role", ""), plural=True))

    def add_persons(self, path: Path, *, override: bool = False) -> None:
        self._office_index = self._surnames = None
        seen: set[str] = set()
        for row in read_table(path):
            try:
                self._add_person_row(row, override and row["kb_id"] not in seen)
            except (ValueError, KeyError) as e:
                raise DataFileError("E201", detail=f"{row['_where']}: {e}") from e
            seen.add(row["kb_id"])

    def _add_person_row(self, row: dict[str, str], replace: bool) -> None:
        kb_id = row["kb_id"]
        person = self.persons.get(kb_id)
        if person is None or replace:
            person = self.persons[kb_id] = Person(kb_id, row["name"])
        for alias in split_list(row.get("aliases", "")):
            if alias not in person.aliases:
                person.aliases.append(alias)
        start, u1 = parse_day(row.get("start", ""))
        end_text = row.get("end", "")
        ongoing = end_text.rstrip("?") == "present"
        end, u2 = (None, end_text.endswith("?")) if ongoing else parse_day(end_text, end=True)
        role = Role(kb_id, row["country"], row["sector"], row.get("role", ""), row.get("title", ""),
                    start, end, ongoing, u1 or u2)
        if role not in person.roles:
            person.roles.append(role)

    # ------------------------------------------------------------ lookups
    def phrases(self) -> Iterator[tuple[str, Entry]]:
        """Every (surface phrase, entry) pair the actor matcher looks for."""
        for c in self.countries.values():
            for p in (c.name, *c.aliases):
                yield p, Entry("country", c.iso3)
            for p in c.demonyms:
                yield p, Entry("demonym", c.iso3)
            for p in ((c.capital,) if c.capital else ()) + c.capital_aliases:
                yield p, Entry("capital", c.iso3)
            for p in c.seats:
                yield p, Entry("seat", c.iso3)
        for r in self.regions.values():
            for p in (r.name, *r.aliases):
                yield p, Entry("region", r.country)
            for p in r.adjectives:
                yield p, Entry("demonym", r.country)
        for key, o in self.orgs.items():
            for p in (o.name, *o.aliases):
                yield p, Entry("org", key)
        for key, o in self.equipment.items():
            for p in (o.name, *o.aliases):
                yield p, Entry("equipment", key)
        for phrase in self.agents:
            yield phrase, Entry("agent", phrase)
        for phrase in self.discards:
            yield phrase, Entry("discard", phrase)
        for p in self.persons.values():
            names = dict.fromkeys(v for n in (p.name, *p.aliases) for v in spelling_variants(n, self.spellings))
            for name in names:
                yield name, Entry("person", p.kb_id)

    def by_surname(self, word: str) -> list[Person]:
        """Persons whose name ends in ``word`` ("Trump" -> Donald Trump), for names the text gives
        without a full first mention."""
        if self._surnames is None:
            index: dict[str, list[Person]] = defaultdict(list)
            for p in self.persons.values():
                index[p.name.split()[-1].lower()].append(p)
            self._surnames = dict(index)
        return self._surnames.get(word.lower(), [])

    def holders(self, country: str, role: str, day: dt.date | None,
                sectors: frozenset[str] | None = None) -> list[Person]:
        """Persons who held ``role`` (HOS, DM, ...) for ``country`` on ``day`` (any time if None), in one
        of ``sectors`` if given (so an exile or rebel "leader" is not taken for the government's)."""
        out = []
        for p in self._by_office().get((country, role), []):
            if any(r.country == country and r.role == role and (day is None or r.active_on(day))
                   and (sectors is None or r.sector in sectors) for r in p.roles):
                out.append(p)
        return out

    def holders_of(self, role: str) -> list[Person]:
        """Everyone who ever held ``role`` (HOS, HOG, FM, DM, ...) in any country."""
        return list({p.kb_id: p for (_, r), people in self._by_office().items() if r == role
                     for p in people}.values())

    def _by_office(self) -> dict[tuple[str, str], list[Person]]:
        """(country, role) -> persons, rebuilt after persons are added."""
        if self._office_index is None:
            index: dict[tuple[str, str], list[Person]] = defaultdict(list)
            for p in self.persons.values():
                for key in {(r.country, r.role) for r in p.roles}:
                    index[key].append(p)
            self._office_index = dict(index)
        return self._office_index

    def stats(self) -> dict[str, int]:
        return {"countries": len(self.countries), "regions": len(self.regions), "organizations": len(self.orgs),
                "agents": len({a.phrase for a in self.agents.values() if not a.plural}),
                "persons": len(self.persons), "roles": sum(len(p.roles) for p in self.persons.values())}


@cache
def read_orgs(path: Path) -> list[Org]:
    """Rows of an organisations-format file (organizations, institutions, groups, equipment)."""
    return [Org(row["code"], row["name"], tuple(split_list(row.get("aliases", ""))),
                row.get("country", ""), row.get("sector", "")) for row in read_table(path)]


def read_spellings(path: Path) -> dict[str, tuple[str, ...]]:
    """``name_spellings.txt``: each word -> the other spellings of its group, lower case."""
    out: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group = [w.strip().lower() for w in line.split("|") if w.strip()]
            for w in group:
                out[w] = tuple(dict.fromkeys(out.get(w, ()) + tuple(g for g in group if g != w)))
    return out


MAX_SPELLINGS = 24      # variants of one name (all combinations of its words' spellings, capped)


def spelling_variants(name: str, spellings: dict[str, tuple[str, ...]]) -> list[str]:
    """The name and, for a name of two or more words, the name with its words spelt other ways."""
    parts = re.split(r"([ -])", name)
    if len(parts) < 3 or not spellings:
        return [name]
    options = [[w, *(_cased(v, w) for v in spellings.get(w.lower(), ()))] if w not in " -" else [w] for w in parts]
    return ["".join(c) for c in itertools.islice(itertools.product(*options), MAX_SPELLINGS)]


def _cased(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def default_kb() -> KnowledgeBase:
    """The shipped knowledge base plus the user's overlay files named in ``TIDINGS_KB`` (paths separated
    by the OS path separator), loaded once per process."""
    overlays = [p for p in os.environ.get("TIDINGS_KB", "").split(os.pathsep) if p]
    return KnowledgeBase.load(overlays)


def kb_report(kb: KnowledgeBase) -> dict:
    """``tidings kb stats``: counts, coverage and currency of the knowledge base."""
    roles = [r for p in kb.persons.values() for r in p.roles]
    by_role: dict[str, int] = defaultdict(int)
    for r in roles:
        by_role[r.role] += 1
    return kb.stats() | {
        "roles_by_type": dict(sorted(by_role.items())),
        "countries_with_persons": len({r.country for r in roles}),
        "persons_with_wikidata_qid": sum(p.kb_id.startswith("Q") for p in kb.persons.values()),
        "uncertain_roles": sum(r.uncertain for r in roles),
        "present_means_until": KNOWLEDGE_DATE.isoformat(),
        "knowledge_current_to": currency(),
    }


def currency() -> dict[str, object]:
    """How current the persons data is, from the files' `# ISO3: knowledge current to YYYY-MM` notes."""
    months = []
    for path in data_path("kb", "persons").glob("*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") and "knowledge current to" in line:
                month = line.rsplit("current to", 1)[1].strip()[:7]
                if month[:4].isdigit():
                    months.append(month)
    months.sort()
    if not months:
        return {}
    return {"countries_noted": len(months), "earliest": months[0], "median": months[len(months) // 2],
            "latest": months[-1]}
