"""Resolving the parts of one mention to an actor at a date: country, sector, code, person, role.

Rules, in order:
- a person is chosen among the KB persons the text's name can refer to, preferring the one already
  chosen earlier in the document, then the one whose roles fit the title, country and date;
- the roles kept are those consistent with the text (title, country) and, with a date, active on it;
  without a date every consistent role is kept (the time stage intersects them);
- a title with a country and no name ("the Belarusian leader") is resolved through the role table;
- country comes from the text when it names one, else from the person's role or the organisation;
- sector comes from the person's role, else the title or agent noun, else GOV for a capital or seat.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from .data import data_path, read_words
from .kb import NON_STATE, Agent, KnowledgeBase, Person, Role

if TYPE_CHECKING:
    from spacy.tokens import Doc

STATE_SECTORS = frozenset({"GOV", "MIL"})
ROLE_RANK = {"HOS": 0, "HOG": 1, "FM": 2, "DM": 3, "VP": 4, "LEADER": 5, "OTHER": 6}


@dataclass
class Resolution:
    name: str | None
    kb_id: str | None
    country: str | None
    sector: str | None
    code: str
    kind: str
    roles: tuple[Role, ...] = ()
    cued: bool = False
    modifier: bool = False
    resolved: bool = True


def resolve_parts(kb: KnowledgeBase, doc: Doc, group: list, day: dt.date | None,
                  chosen: dict[str, str]) -> Resolution | None:
    """Resolve a group of pieces (see ``actors.Piece``) to an actor, or None if it is no actor."""
    text_country = _text_country(group)
    agent = _agent_in_context(kb, doc, group)
    org = _org(kb, group)
    gear = next((kb.equipment[e.key] for p in group for e in p.entries if e.kind == "equipment"), None)
    if gear is not None:
        return _equipment(doc, group, gear, text_country)
    namesake = _someone_else(kb, doc, group, chosen)
    if namesake:
        return _unknown_person(namesake, text_country, agent, org)
    person, surface = _person(kb, doc, group, text_country, agent, day, chosen)
    if person is not None:
        _remember(chosen, surface, person.kb_id)
        return _person_resolution(person, text_country, agent, day)
    names = [e.key for p in group for e in p.entries if e.kind == "name"]
    if names:
        return _named(kb, doc, names[0].strip(), text_country, agent, org, day, chosen)
    if agent is not None and agent.role and text_country:
        holder = _office_holder(kb, text_country, agent.role, day) or \
            _named_before(kb, text_country, agent.role, chosen)
        if holder is not None:
            return _person_resolution(holder, text_country, agent, day, kind="title")
    res = _group_resolution(group, text_country, agent, org)
    if res is not None and res.modifier and doc[group[-1].end - 1].pos_ in {"NOUN", "PROPN"}:
        res.modifier = False                 # "the Serbs", "Bosnian Serbs": a people, not an adjective
    return res


FORMER = {"former", "ex", "ex-"}


def _former(doc, group: list) -> bool:
    """The mention is of someone out of office: "former" (or "ex-") just before or inside its first part."""
    start = group[0].start
    window = doc[max(start - 2, 0):group[0].end]
    return any(t.lower_ in FORMER for t in window) and not any(t.lower_ == "now" for t in window)


COUNTRY_KINDS = {"country", "demonym", "capital", "seat", "region"}     # entries that name a country


def _text_country(group: list) -> str | None:
    """The country the text names; for a people named with where they live ("the Albanians of
    Serbia", "Kurds in Iraq") the place."""
    kinds = [{e.kind for e in p.entries} for p in group]
    if len(group) > 1 and "demonym" in kinds[0] and kinds[-1] & {"country", "capital", "region"}:
        return next(e.key for e in group[-1].entries if e.kind in {"country", "capital", "region"})
    for piece in group:
        for e in piece.entries:
            if e.kind in COUNTRY_KINDS:
                return e.key
    return None


# Head nouns that take their sector from a modifying agent: "rebel leaders" are rebels, "opposition
# spokesman" speaks for the opposition.
GENERIC_HEADS = {"leader", "leaders", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
                 "commander", "commanders", "chief", "head", "member", "members", "representative",
                 "representatives", "figure", "figures", "source", "sources", "community leader"}


# Titles that head whatever body follows them: "the president of the Riigikogu", "chairman of ..."
OFFICE_TITLES = {"president", "chairman", "chairwoman", "chair", "speaker", "head", "director",
                 "secretary general", "secretary-general", "secretary"}


def _last_agent(kb: KnowledgeBase, group: list) -> Agent | None:
    agents = [kb.agents[e.key] for p in group for e in p.entries if e.kind == "agent"]
    if len(agents) >= 2 and agents[-1].phrase in GENERIC_HEADS and agents[-2].sector != agents[-1].sector:
        return Agent(agents[-1].phrase, agents[-2].sector, "")
    return agents[-1] if agents else None


def _org(kb: KnowledgeBase, group: list):
    for p in group:
        for e in p.entries:
            if e.kind == "org":
                return kb.orgs[e.key]
    return None


def _person(kb, doc, group, country, agent, day, chosen) -> tuple[Person | None, str]:
    for piece in group:
        ids = [e.key for e in piece.entries if e.kind == "person"]
        if not ids:
            continue
        surface = doc[piece.start:piece.end].text
        if chosen.get(surface) in ids:
            return kb.persons[chosen[surface]], surface
        cands = [kb.persons[i] for i in dict.fromkeys(ids)]
        cands.sort(key=lambda p: -_fit(p, country, agent, day))
        return cands[0], surface
    return None, ""


UNKNOWN = ""      # in ``chosen``: a full name the KB does not know


def _agent_in_context(kb: KnowledgeBase, doc, group: list) -> Agent | None:
    """The group's title or sector noun, as its context reads it: after a seat of government it is the
    government's ("White House chief of staff", "Kremlin aide"); after "former" an elite's."""
    agent = _last_agent(kb, group)
    if agent is not None and any("seat" in p.kinds for p in group):
        agent = replace(agent, sector="GOV")
    if agent is not None and _former(doc, group):
        agent = replace(agent, sector="ELI")
    return agent


def _equipment(doc, group: list, gear, text_country: str | None) -> Resolution:
    """"USS Carney" (a prefix takes the ship's name), "an Arleigh Burke-class destroyer"."""
    name = doc[group[0].start:group[-1].end].text if gear.name.isupper() else gear.name
    country = gear.country or text_country
    return Resolution(name, None, country, gear.sector, _code(country, gear.sector), "equipment")


def _named(kb: KnowledgeBase, doc, name: str, country: str | None, agent: Agent | None, org,
           day: dt.date | None, chosen: dict[str, str]) -> Resolution:
    """A name the KB does not list as such: a surname, a name with middle names, a misspelt office-holder,
    or someone the KB does not know ("Hunter Biden": a later "Biden" in the text is him)."""
    known = _by_surname(kb, name, country, day, chosen) or _with_middle_names(kb, name) \
        or _misspelt_holder(kb, name, agent)
    if known is not None and (" " in name or not _foreign_former(doc, [known])):
        return _person_resolution(known, country, agent, day)
    if " " in name:
        _remember(chosen, name, UNKNOWN)
    return _unknown_person(name, country, agent, org)


def _remember(chosen: dict[str, str], surface: str, kb_id: str) -> None:
    chosen.pop(surface, None)                # re-inserted: ``chosen`` is in order of last mention
    chosen[surface] = kb_id


def _someone_else(kb: KnowledgeBase, doc, group: list, chosen: dict[str, str]) -> str | None:
    """A bare KB surname that is not the KB's person: the last full-name bearer in the text is someone
    the KB does not know, or the surname is too common to pick anyone ("Johnson said") before a full
    name was given. Returns the name to code instead."""
    if len(group) != 1 or group[0].end - group[0].start != 1 or "person" not in group[0].kinds:
        return None
    surname = doc[group[0].start].text
    latest = next((full for full in reversed(chosen) if full.split()[-1] == surname), None)
    if latest is not None:
        return latest if chosen[latest] == UNKNOWN else None
    people = [kb.persons[e.key] for e in group[0].entries if e.kind == "person"]
    if common_surname(kb, surname) or _foreign_former(doc, people):
        return surname
    return None


TEXT_COUNTRIES = "tidings_text_countries"       # doc.user_data: the countries an article names


def _foreign_former(doc, people: list[Person]) -> bool:
    """"Howard endorsed Cruz" in a 2016 American story: every KB Howard is out of office at the date and
    of a country the article never names, so it is someone else."""
    named = doc.user_data.get(TEXT_COUNTRIES)
    day = doc._.date
    if named is None or day is None or not people:
        return False
    return all(p.roles and all(r.last_day and r.last_day < day for r in p.roles)
               and not any(r.country in named for r in p.roles) for p in people)


def _with_middle_names(kb: KnowledgeBase, name: str) -> Person | None:
    """A full name with middle names the KB does not list: "Harry Ho-jen Tseng" is Harry Tseng,
    "George Walker Bush" George W. Bush: the one person whose name has the same first and last word."""
    words = name.replace(".", " ").split()
    if len(words) < 3:
        return None
    first, last = words[0].lower(), words[-1].lower()
    found = {p.kb_id: p for p in kb.by_surname(words[-1])
             for n in (p.name, *p.aliases) if len(n.split()) >= 2
             and n.split()[0].lower() == first and n.split()[-1].lower() == last}
    return next(iter(found.values())) if len(found) == 1 else None


def _by_surname(kb: KnowledgeBase, name: str, country: str | None, day: dt.date | None,
                chosen: dict[str, str]) -> Person | None:
    """A one-word name the KB lists only under a full name: the person chosen for it earlier in the
    document, else the only person of that surname who fits the country and date."""
    if " " in name.strip():
        return None
    if name in chosen and chosen[name] in kb.persons:
        return kb.persons[chosen[name]]
    for prev_surface, kb_id in chosen.items():
        if prev_surface.split()[-1] == name and kb_id in kb.persons:
            return kb.persons[kb_id]
    if common_surname(kb, name):
        return None                          # "Khan said": not enough to pick one Khan
    cands = [p for p in kb.by_surname(name) if not country or any(r.country == country for r in p.roles)]
    if day is not None and len(cands) > 1:
        cands = [p for p in cands if any(r.active_on(day) for r in p.roles)] or cands
    return cands[0] if len(cands) == 1 else None


COMMON_IN_KB = 6      # a surname this many KB persons bear is common


@cache
def _common_surnames() -> frozenset[str]:
    return frozenset(read_words(data_path("lexicon", "common_surnames.txt")))


def common_surname(kb: KnowledgeBase, name: str) -> bool:
    return name.lower() in _common_surnames() or len(kb.by_surname(name)) >= COMMON_IN_KB


MISSPELLING_CUTOFF = 0.85


def _misspelt_holder(kb: KnowledgeBase, name: str, agent: Agent | None) -> Person | None:
    """A titled name the KB does not know, spelt close to someone who held that office: "President
    Abdelaziz Bouteflicka" is Bouteflika."""
    import difflib
    if agent is None or not agent.role or len(name) < 6:
        return None
    holders = {n.lower(): p for p in kb.holders_of(agent.role) for n in (p.name, *p.aliases) if " " in n}
    hit = difflib.get_close_matches(name.lower(), list(holders), n=1, cutoff=MISSPELLING_CUTOFF)
    return holders[hit[0]] if hit else None


def _fit(person: Person, country: str | None, agent: Agent | None, day: dt.date | None) -> int:
    score = 0
    for r in person.roles:
        s = (4 if day and r.active_on(day) else 0) + (2 if country and r.country == country else 0) \
            + (2 if agent and agent.role and r.role == agent.role else 0)
        score = max(score, s)
    return score


def consistent_roles(person: Person, country: str | None, agent: Agent | None,
                     day: dt.date | None) -> tuple[list[Role], bool]:
    """(roles consistent with the text and date, whether a title cued them)."""
    roles = person.roles
    if country:
        roles = [r for r in roles if r.country == country] or roles
    cued = False
    if agent is not None and (agent.role or agent.sector not in {"ELI", ""}):
        # the title names one of their roles: "President" an HOS role, "Minister" a GOV one
        titled = [r for r in roles if r.role == agent.role or (agent.role == "HOS" and r.role in {"HOS", "HOG"})] \
            if agent.role else [r for r in roles if r.sector == agent.sector]
        if titled:
            roles, cued = titled, True
    if day is not None:
        roles = [r for r in roles if r.active_on(day)] or roles
    return roles, cued


def _person_resolution(person: Person, country: str | None, agent: Agent | None, day: dt.date | None,
                       kind: str = "person") -> Resolution:
    roles, cued = consistent_roles(person, country, agent, day)
    role = _main_role(roles, day)
    ctry = country or (role.country if role else None)
    sector = (role.sector if role and (not country or role.country == country) else None) \
        or (agent.sector if agent else None)
    if day is not None and not cued and not any(r.active_on(day) for r in person.roles):
        # in no office on that day: a former office-holder is an elite (CAMEO ELI); someone whose
        # offices all lie ahead held none of them yet
        before = any(r.last_day and r.last_day < day for r in person.roles)
        sector = "ELI" if before else None
    return Resolution(person.name, person.kb_id, ctry, sector, _code(ctry, sector), kind,
                      tuple(roles), cued)


def _main_role(roles: list[Role], day: dt.date | None) -> Role | None:
    if not roles:
        return None
    active = [r for r in roles if day is None or r.active_on(day)] or roles
    return min(active, key=lambda r: (ROLE_RANK.get(r.role, 9), -(r.start or dt.date.min).toordinal()))


def _office_holder(kb: KnowledgeBase, country: str, role: str, day: dt.date | None) -> Person | None:
    holders = kb.holders(country, role, day, STATE_SECTORS) if day else []
    return holders[0] if len(holders) == 1 else None


def _named_before(kb: KnowledgeBase, country: str, role: str, chosen: dict[str, str]) -> Person | None:
    """"the Belarusian leader" after "Aleksandr Lukashenko" was named: the person named earlier in
    the document who has held that office."""
    fits = {kb_id for kb_id in chosen.values() if kb_id in kb.persons and any(
        r.country == country and (r.role == role or (role == "HOS" and r.role == "HOG"))
        for r in kb.persons[kb_id].roles)}
    return kb.persons[fits.pop()] if len(fits) == 1 else None


def _unknown_person(name: str, country: str | None, agent: Agent | None, org=None) -> Resolution:
    """A name the KB does not know, placed by its title and country or organisation."""
    sector = agent.sector if agent else None
    if org is not None and not country:
        return Resolution(name, None, org.country or None, sector or org.sector or None, org.code, "name")
    return Resolution(name, None, country, sector, _code(country, sector), "name",
                      resolved=bool(country or sector))


def _group_resolution(group: list, country: str | None, agent: Agent | None, org) -> Resolution | None:
    kinds = {e.kind for p in group for e in p.entries}
    if org is not None and country and org.country not in NON_STATE and org.country != country:
        # a generic national body named for another country: "Chile's Defense Department"
        sector = org.sector if agent is None or agent.phrase in GENERIC_HEADS else agent.sector
        return Resolution(None, None, country, sector, _code(country, sector), "group")
    if org is not None and agent is None:
        return Resolution(org.name, None, org.country or None, org.sector or None, org.code, "org")
    if agent is not None:
        sector = agent.sector
        if org is not None:
            if org.sector and (agent.phrase in GENERIC_HEADS | OFFICE_TITLES or _names_org(agent, org)):
                sector = org.sector          # "the president of the Riigikogu" speaks for parliament
            return Resolution(org.name, None, org.country or None, sector, org.code, "org")
        return Resolution(None, None, country, sector, _code(country, sector), "group",
                          resolved=country is not None or sector is not None)
    if kinds & {"capital", "seat"}:
        return Resolution(None, None, country, "GOV", _code(country, "GOV"), "capital")
    if "country" in kinds:
        return Resolution(None, None, country, None, country or "", "country")
    if "region" in kinds:                  # "Tigray accused ...": the region's side, of its country
        return Resolution(None, None, country, None, country or "", "region")
    if "demonym" in kinds:
        return Resolution(None, None, country, None, country or "", "country", modifier=True)
    return None


def _names_org(agent: Agent, org) -> bool:
    """The agent phrase is one of the organisation's own names ("the Defense Department" is the
    Pentagon, whatever a defence department is elsewhere)."""
    return agent.phrase in {n.lower() for n in (org.name, *org.aliases)}


def _code(country: str | None, sector: str | None) -> str:
    if country in NON_STATE and sector in NON_STATE:
        return country
    return (country or "---") + (sector or "") if (country or sector) else ""
