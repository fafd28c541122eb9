"""Shared by the web tests (no tests here): an in-process client for the ASGI app, and the stores."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Self

import anyio
import anyio.from_thread
import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tidings" / "example" / "article.txt"
# Articles written for these tests: two reports of one attack (a cluster of two outlets), talks, a demand,
# a negation, aid, sanctions, quotes; spread over months so that dyads have a series.
ARTICLES = [
    {"id": "kharkiv-1", "date": "2022-03-07", "outlet": "Daily Planet", "title": "Russian forces shell Kharkiv",
     "url": "https://planet.example/kharkiv",
     "text": "Russian forces shelled Kharkiv on Monday, killing nine civilians, Ukrainian officials said. "
             "\"This is a war crime,\" Ukrainian President Volodymyr Zelensky said in a video address."},
    {"id": "kharkiv-2", "date": "2022-03-08", "outlet": "The Meridian", "title": "Artillery pounds Kharkiv",
     "text": "Russia pounded Kharkiv with artillery on Monday, and nine civilians died, regional governor "
             "Oleh Synehubov said."},
    {"id": "talks", "date": "2022-05-10", "outlet": "Atlas Wire", "title": "Belarus and Russia hold talks in Minsk",
     "text": "Belarus and Russia held talks in Minsk on Tuesday about gas prices. Belarusian President Aleksandr "
             "Lukashenko said the two countries would sign a new supply agreement next month."},
    {"id": "un", "date": "2022-03-02", "outlet": "Global Desk", "title": "UN demands withdrawal",
     "text": "The United Nations General Assembly demanded on Wednesday that Russia withdraw its troops from "
             "Ukraine. Russia rejected the resolution."},
    {"id": "egypt", "date": "2024-01-07", "outlet": "Nile Times", "title": "Egypt and Jordan meet",
     "text": "Egypt held talks with Jordan on Sunday about the war in Gaza. Egyptian Foreign Minister Sameh "
             "Shoukry said Cairo would not accept the displacement of Palestinians."},
    {"id": "aid", "date": "2022-06-20", "outlet": "Atlas Wire", "title": "Germany sends aid to Ukraine",
     "text": "Germany pledged new military aid to Ukraine on Monday, Chancellor Olaf Scholz said. Kyiv thanked "
             "Berlin for the support."},
    {"id": "sanctions", "date": "2022-04-11", "outlet": "Global Desk", "title": "EU sanctions Belarus",
     "text": "The European Union imposed sanctions on Belarus on Monday over its support for the Russian "
             "invasion. Minsk did not threaten retaliation."},
    {"id": "minsk-deal", "date": "2022-09-14", "outlet": "Atlas Wire", "title": "Minsk and Moscow sign gas deal",
     "text": "Belarus signed a gas supply agreement with Russia on Wednesday, the Belarusian government said."},
    {"id": "istanbul", "date": "2022-03-29", "outlet": "Global Desk", "title": "Talks in Istanbul",
     "text": "Russia and Ukraine held peace talks in Istanbul on Tuesday."},
]


class AppClient:
    """Drives an ASGI app in-process from synchronous tests: httpx over the ASGI transport, with the app's
    lifespan (startup opens the store, shutdown closes it). Use as a context manager."""

    def __init__(self, app) -> None:
        self.app = app
        self._stack = ExitStack()

    def __enter__(self) -> Self:
        self.portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal())
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://testserver")
        self._lifespan = self.app.router.lifespan_context(self.app)
        self.portal.call(self._lifespan.__aenter__)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.portal.call(self._lifespan.__aexit__, None, None, None)
            self.portal.call(self.client.aclose)
        finally:
            self._stack.close()

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self.portal.call(partial(self.client.request, method, url, **kwargs))

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)


_BUILT: dict[str, Path] = {}


def coded_store(folder: Path) -> Path:
    """A store made the way users make one: ``ingest`` the test articles and the bundled example, then
    ``run`` the real coder (spaCy) and the clustering. Built once per session, copied into ``folder``."""
    if "coded" not in _BUILT:
        from tidings.ingest import ingest
        from tidings.scale import run
        from tidings.store import Store
        source = folder / "built"
        source.mkdir(parents=True, exist_ok=True)
        articles = source / "articles.jsonl"
        articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
        with Store(source / "coded.duckdb") as store:
            ingest([str(articles), str(EXAMPLE)], store)
            run(store)
        _BUILT["coded"] = source / "coded.duckdb"
    target = folder / "store.duckdb"
    shutil.copyfile(_BUILT["coded"], target)
    return target


def actor(code: str, country: str, sector: str | None = None, text: str | None = None, name: str | None = None,
          start: int = 0) -> dict:
    text = text or code
    return {"text": text, "start": start, "end": start + len(text), "name": name, "kb_id": None, "country": country,
            "sector": sector, "code": code}


def event(src: dict, tgt: dict | None, plover: str, cameo: str, goldstein: float, quad: int, trigger: str, start: int,
          when: str | None = None, status: str = "asserted") -> dict:
    return {"sentence": 0, "trigger": {"text": trigger, "start": start, "end": start + len(trigger)}, "cameo": cameo,
            "plover": plover, "plover_mode": None, "plover_context": [], "goldstein": goldstein, "quad_class": quad,
            "source": src, "target": tgt, "status": status, "reported_by": None, "location": None,
            "when": {"earliest": when, "latest": when} if when else None, "confidence": 0.9}


def record(text: str, events: list[dict], mentions: list[dict] | None = None, quotes: list[dict] | None = None) -> dict:
    return {"outlet": None, "date": None, "time": {"earliest": None, "latest": None, "basis": []},
            "mentions": mentions or [], "events": events, "quotes": quotes or [], "warnings": []}


HANDMADE = [  # (text, date, outlet, record without id): no model needed
    ("Russia attacked Ukraine on Monday.", "2022-03-07", "Daily Planet",
     lambda t: record(t, [event(actor("RUS", "RUS"), actor("UKR", "UKR", start=17), "ASSAULT", "190", -10.0, 4,
                                "attacked", 7, "2022-03-07")], [actor("RUS", "RUS", text="Russia"),
                                                                actor("UKR", "UKR", text="Ukraine", start=16)])),
    ("Belarus and Russia held talks in Minsk.", "2022-05-10", "Atlas Wire",
     lambda t: record(t, [event(actor("BLR", "BLR"), actor("RUS", "RUS"), "CONSULT", "040", 1.0, 1, "held", 19),
                          event(actor("RUS", "RUS"), actor("BLR", "BLR"), "CONSULT", "040", 1.0, 1, "held", 19)],
                      [actor("BLR", "BLR", text="Belarus"), actor("RUS", "RUS", text="Russia", start=12)],
                      [{"speaker": actor("BLRGOV", "BLR", "GOV", name="Aleksandr Lukashenko"),
                        "cue": {"text": "held", "start": 19, "end": 23},
                        "content": {"text": "talks in Minsk", "start": 24, "end": 38}, "kind": "indirect"}])),
]


def handmade_store(folder: Path) -> Path:
    """A small store of hand-made coded records (no spaCy): for the tests of safety and errors."""
    from tidings import clusters
    from tidings.ingest import Article
    from tidings.store import Store
    path = folder / "handmade.duckdb"
    with Store(path) as s:
        s.add_articles([Article(t, date=dt.date.fromisoformat(d), outlet=o, title=f"Story {i}", source_ref=f"h{i}")
                        for i, (t, d, o, _) in enumerate(HANDMADE)])
        run_id = s.start_run("local", 1, "0.0-test", {"name": "handmade", "version": "1"})
        arts, _ = s.uncoded(0, 100)
        by_text = {t: make for t, _, _, make in HANDMADE}
        s.save_coded(run_id, [{**by_text[a["text"]](a["text"]), "id": a["article_id"]} for a in arts],
                     {a["article_id"]: a for a in arts})
        s.finish_run(run_id, len(arts), 0)
        clusters.update(s)
    return path
