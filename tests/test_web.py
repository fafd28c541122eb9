"""The web API and pages, in-process (httpx over ASGI): one view answers both the page and its JSON; the
filters, paging and evidence; and the safety rules (read-only by default, token, limits, 4xx for bad input,
no fetching of private addresses)."""
from __future__ import annotations

import http.server
import json
import re
import socket
import threading
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_web_support import ARTICLES, AppClient, coded_store, handmade_store

from tidings import web_views
from tidings.fetch import FetchError, MemoryFetcher
from tidings.query import Filters
from tidings.query import dyad as cli_dyad
from tidings.store import Store
from tidings.web import Limits, MemoryCoder, SafeFetcher, check_url, create_app

TOKEN = "s3cret-token"


def public(host, port, **_):
    """A resolver for tests: every host is a public address."""
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]


def private(host, port, **_):
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]


# ---------------------------------------------------------------------- over the real coder's store
@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    return coded_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(coded):
    with AppClient(create_app(coded)) as c:
        yield c


def all_events(client) -> list[dict]:
    return client.get("/events.json?limit=500").json()["events"]


@pytest.mark.model
def test_page_and_json_come_from_one_view(client):
    as_json = client.get("/events.json?type=CONSULT&limit=5")
    by_accept = client.get("/events?type=CONSULT&limit=5", headers={"Accept": "application/json"})
    page = client.get("/events?type=CONSULT&limit=5", headers={"Accept": "text/html,*/*"})
    assert as_json.headers["content-type"] == by_accept.headers["content-type"] == "application/json"
    assert as_json.json() == by_accept.json()
    assert page.headers["content-type"].startswith("text/html")
    ids = [e["event_id"] for e in as_json.json()["events"]]
    assert ids and re.findall(r'href="/events/([^"]+)"', page.text) == ids
    assert 'href="/events.json?type=CONSULT&amp;limit=5"' in page.text        # the page links its JSON


@pytest.mark.model
def test_filters_select_events_by_actor_type_status_dates_and_words(client):
    everything = all_events(client)
    assert len(everything) >= 15

    def ids(query: str) -> set[str]:
        answer = client.get(f"/events.json?limit=500&{query}")
        assert answer.status_code == 200, answer.text
        return {e["event_id"] for e in answer.json()["events"]}

    def expect(test) -> set[str]:
        return {e["event_id"] for e in everything if test(e)}

    assert ids("actor=BLR") == expect(lambda e: "BLR" in (e["source_country"], e["target_country"],
                                                            e["source_code"], e["target_code"]))
    assert ids("source=RUS&target=BLR") == expect(lambda e: e["source_country"] == "RUS" and e["target_country"] == "BLR")
    assert ids("type=CONSULT,19") == expect(lambda e: e["plover"] == "CONSULT" or e["cameo"].startswith("19"))
    assert ids("status=negated") == expect(lambda e: e["status"] == "negated") != set()
    assert ids("since=2022-04-01&until=2022-06-30") == expect(
        lambda e: e["event_date"] and "2022-04-01" <= e["event_date"] <= "2022-06-30")
    assert ids("q=KHARKIV") == expect(lambda e: "kharkiv" in (e["sentence_text"] or "").lower())
    assert ids("country=UKR") == expect(lambda e: "UKR" in (e["source_country"], e["target_country"],
                                                             e["location_country"]))
    deduped = client.get("/events.json?dedup=true&q=Kharkiv").json()
    assert deduped["total"] == len({e["cluster_id"] for e in everything if "Kharkiv" in (e["sentence_text"] or "")})


@pytest.mark.model
def test_paging_walks_every_event_once(client):
    total = client.get("/events.json?limit=1").json()["total"]
    seen, url = [], "/events.json?limit=4&order=asc"
    while url:
        page = client.get(url).json()
        seen += [e["event_id"] for e in page["events"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == total


@pytest.mark.model
def test_article_has_coded_spans_with_codes_and_status(client):
    hit = client.get("/search.json?q=Shoigu").json()["articles"]
    assert len(hit) == 1                                    # the bundled example
    art = client.get(f"/articles/{hit[0]['article_id']}.json").json()
    text = art["text"]
    for span in art["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
    by_kind = {k: [s for s in art["spans"] if s["kind"] == k] for k in ("actor", "trigger", "quote", "cue")}
    assert {"RUSGOV", "BLRGOV", "UKRGOV"} <= {s["code"] for s in by_kind["actor"]}
    aligning = next(s for s in by_kind["trigger"] if s["text"] == "aligning")
    assert aligning["events"] == [1, 2] and aligning["status"] == "reported"   # two events, one trigger
    assert by_kind["quote"] and by_kind["cue"]
    page = client.get(f"/articles/{hit[0]['article_id']}").text
    highlighted = page.split('id="article-text"')[1].split("</article>")[0]
    assert highlighted.count('class="tag tag-actor"') == len(by_kind["actor"])
    assert "062 COOPERATE · reported ×2" in page


@pytest.mark.model
def test_event_shows_its_evidence_and_the_other_reports(client):
    shelled = next(e for e in all_events(client) if e["trigger"] == "shelled")
    detail = client.get(f"/events/{shelled['event_id']}.json").json()
    assert detail["record"]["trigger"]["text"] == "shelled"
    assert detail["article"]["outlet"] == "Daily Planet"
    assert detail["cluster"]["outlets"] == 2
    assert {r["outlet"] for r in detail["reports"]} >= {"The Meridian"}
    assert "Russian forces <mark>shelled</mark> Kharkiv" in client.get(f"/events/{shelled['event_id']}").text


@pytest.mark.model
def test_dyad_series_matches_the_cli_dyad(client, coded):
    answer = client.get("/dyads/BLR/RUS.json?by=month").json()
    with Store(coded, read_only=True) as store:
        expected = cli_dyad(store, "BLR", "RUS", by="month", f=Filters())
    assert [(r["period"], r["events"], r["goldstein_sum"]) for r in answer["series"]] == \
        [(r["period"], r["events"], r["goldstein_sum"]) for r in expected]
    assert len(answer["series"]) >= 2
    for row in answer["series"]:
        assert row["cooperation"] + row["conflict"] <= row["events"]
        assert row["start"] <= f"{row['period']}-31"
    assert answer["a_name"] == "Belarus" and answer["events"]
    weekly = client.get("/dyads/BLR/RUS.json?by=week&directed=true").json()
    assert all(re.fullmatch(r"\d{4}-W\d\d", r["period"]) for r in weekly["series"])
    assert weekly["totals"]["events"] <= answer["totals"]["events"]
    assert 'id="dyad-chart"' in client.get("/dyads/BLR/RUS").text


@pytest.mark.model
def test_network_and_dyads_agree_on_who_acts_on_whom(client):
    net = client.get("/network.json").json()
    dyads = client.get("/dyads.json?limit=500").json()["dyads"]
    assert {(e["source"], e["target"], e["events"]) for e in net["edges"]} == \
        {(d["source"], d["target"], d["events"]) for d in dyads}
    nodes = {n["id"] for n in net["nodes"]}
    assert {"RUS", "BLR", "UKR"} <= nodes
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in net["nodes"])
    assert all(e["cooperation"] + e["conflict"] <= e["events"] for e in net["edges"])
    by_actor = client.get("/network.json?level=actor").json()
    assert any(len(n["id"]) > 3 for n in by_actor["nodes"])


@pytest.mark.model
def test_actors_quotes_search_and_clusters(client):
    actors = client.get("/actors.json?q=lukashenko").json()["actors"]
    assert actors[0]["code"] == "BLRGOV" and actors[0]["name"] == "Aleksandr Lukashenko"
    quotes = client.get("/quotes.json?q=war crime").json()
    assert quotes["total"] == 1 and quotes["quotes"][0]["speaker_code"] == "UKRGOV"
    assert client.get("/quotes.json?speaker=zelensky").json()["total"] >= 1
    found = client.get("/search.json?q=Minsk").json()
    assert {a["title"] for a in found["articles"]} >= {"Belarus and Russia hold talks in Minsk"}
    clusters = client.get("/clusters.json?min_articles=2").json()
    assert clusters["total"] >= 1 and clusters["clusters"][0]["outlets"] == 2
    one = client.get(f"/clusters/{clusters['clusters'][0]['cluster_id']}.json").json()
    assert len({e["article_id"] for e in one["events"]}) == 2
    home = client.get("/index.json").json()
    assert home["stats"]["articles"] == len(ARTICLES) + 1 and home["writable"] is False


@pytest.mark.model
def test_post_code_and_ingest_use_the_real_pipeline(tmp_path, coded):
    db = tmp_path / "w.duckdb"
    db.write_bytes(Path(coded).read_bytes())
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with AppClient(create_app(db, token=TOKEN)) as c:
        coded_text = c.post("/code", json={"text": "Egypt held talks with Jordan on Sunday.", "date": "2024-01-07"},
                            headers=auth).json()
        assert [(e["plover"], e["source"]["code"], e["target"]["code"]) for e in coded_text["events"]] == \
            [("CONSULT", "EGY", "JOR")]
        form = c.post("/code", data={"text": "Egypt held talks with Jordan on Sunday.", "token": TOKEN},
                      headers={"Accept": "text/html"})
        assert form.status_code == 200 and 'class="tag tag-trigger' in form.text
        before = c.get("/events.json?actor=TUR").json()["total"]
        added = c.post("/ingest", json={"text": "Turkey condemned Syria on Friday.", "date": "2023-05-05",
                                        "title": "Ankara condemns Damascus"}, headers=auth).json()
        assert added["articles"] == 1 and added["coded"] == 1 and added["events"] >= 1
        assert c.get("/events.json?actor=TUR").json()["total"] == before + added["events"]
        again = c.post("/ingest", json={"text": "Turkey condemned Syria on Friday."}, headers=auth).json()
        assert again["duplicates"] == 1 and again["coded"] == 0


@pytest.mark.model
def test_answers_from_the_real_coder_fit_their_documented_models(client):
    from tidings import web_api as api
    event = all_events(client)[0]
    cluster = client.get("/clusters.json").json()["clusters"][0]["cluster_id"]
    for url, model in [("/index.json", api.Home), ("/events.json?limit=500", api.EventPage),
                       (f"/events/{event['event_id']}.json", api.EventDetail),
                       (f"/articles/{event['article_id']}.json", api.ArticleDetail), ("/actors.json", api.ActorPage),
                       ("/dyads.json", api.DyadList), ("/dyads/BLR/RUS.json", api.DyadSeries),
                       ("/network.json", api.Network), ("/quotes.json", api.QuotePage),
                       ("/search.json?q=Russia", api.SearchResult), ("/clusters.json", api.ClusterPage),
                       (f"/clusters/{cluster}.json", api.ClusterDetail)]:
        answer = client.get(url).json()
        assert model.model_validate(answer).model_dump(mode="json", exclude_unset=True).keys() == answer.keys(), url


# ---------------------------------------------------------------------- no model needed
@pytest.fixture(scope="module")
def handmade(tmp_path_factory):
    return handmade_store(tmp_path_factory.mktemp("handmade"))


@pytest.fixture
def writable(handmade, tmp_path):
    db = tmp_path / "rw.duckdb"
    db.write_bytes(Path(handmade).read_bytes())
    coder = MemoryCoder()
    fetcher = SafeFetcher(MemoryFetcher({"https://news.example/a": "<html><body><article><p>" + "Russia and Belarus "
                                         "held talks in Minsk on Tuesday about gas prices and oil. " * 3 +
                                         "</p></article></body></html>"}), resolve=public)
    with AppClient(create_app(db, token=TOKEN, coder=coder, fetcher=fetcher)) as c:
        c.coder = coder
        yield c


@pytest.fixture(scope="module")
def readonly(handmade):
    with AppClient(create_app(handmade, coder=MemoryCoder())) as c:
        yield c


def test_read_only_server_refuses_writes(readonly):
    for path in ("/code", "/ingest"):
        answer = readonly.post(path, json={"text": "Russia attacked Ukraine."}, headers={"Authorization": "Bearer x"})
        assert answer.status_code == 403 and "read-only" in answer.json()["detail"]
    assert readonly.get("/healthz").json()["writable"] is False
    assert "disabled" in readonly.get("/code").text


def test_writes_need_the_right_token(writable):
    body = {"text": "Russia attacked Ukraine on Monday.", "date": "2022-03-07"}
    assert writable.post("/code", json=body).status_code == 401
    assert writable.post("/code", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert writable.post("/code", json=body, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    ok = writable.post("/code", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["date"] == "2022-03-07"
    assert writable.post("/code", data={**body, "token": TOKEN}).json()["id"] == "text"
    assert writable.coder.texts == [body["text"]] * 2


def test_ingest_stores_codes_and_clusters_a_text_or_a_page(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    added = writable.post("/ingest", json={"text": "Belarus thanked Russia.", "title": "Thanks"}, headers=auth).json()
    assert added["articles"] == 1 and added["coded"] == 1
    art = writable.get(f"/articles/{added['article_ids'][0]}.json").json()
    assert art["article"]["title"] == "Thanks" and art["coding"]["ok"] is True
    page = writable.post("/ingest", json={"url": "https://news.example/a"}, headers=auth).json()
    assert page["articles"] == 1 and page["failed"] == 0
    missing = writable.post("/ingest", json={"url": "https://news.example/404"}, headers=auth).json()
    assert missing["failed"] == 1 and "404" in missing["failures"][0]["reason"]
    assert writable.post("/ingest", json={"text": "x", "url": "https://news.example/a"}, headers=auth).status_code == 422


def test_ingest_refuses_private_addresses(handmade, tmp_path):
    db = tmp_path / "p.duckdb"
    db.write_bytes(Path(handmade).read_bytes())
    auth = {"Authorization": f"Bearer {TOKEN}"}
    fetcher = SafeFetcher(MemoryFetcher({"http://intranet.example/": "<html>secret</html>"}), resolve=private)
    with AppClient(create_app(db, token=TOKEN, coder=MemoryCoder(), fetcher=fetcher)) as c:
        refused = c.post("/ingest", json={"url": "http://intranet.example/"}, headers=auth)
        assert refused.status_code == 400 and "private" in refused.json()["detail"]
        assert c.post("/ingest", json={"url": "http://127.0.0.1:22/"}, headers=auth).status_code == 400


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://localhost:8000/x", "http://10.0.0.8/", "http://[::1]/",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/",
                                 "http://0.0.0.0/", "http://192.168.1.1/", "file:///etc/passwd", "ftp://example.org/",
                                 "http:///nohost", "http://example.org:99999/"])
def test_check_url_refuses_loopback_private_and_odd_urls(url):
    with pytest.raises(FetchError):
        check_url(url)


def test_check_url_allows_public_addresses_and_private_ones_when_asked():
    check_url("https://example.org/news", resolve=public)
    check_url("http://127.0.0.1:8000/", allow_private=True)


class _Redirect(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "http://metadata.internal/secret")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_to_a_private_address_is_refused():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        def resolve(host, port, **kw):     # the first hop looks public; the redirect's host is private
            return (public if host == "127.0.0.1" else private)(host, port, **kw)
        with pytest.raises(FetchError, match="private"):
            SafeFetcher(resolve=resolve, timeout=5).fetch(f"http://127.0.0.1:{server.server_port}/start")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("url", ["/events.json?limit=0", "/events.json?limit=100000", "/events.json?since=yesterday",
                                 "/events.json?status=maybe", "/events.json?type=A%3BDROP", "/events.json?actor=R%27S",
                                 "/events.json?offset=-1", "/events.json?order=sideways", "/dyads/RUS/UKR.json?by=decade",
                                 "/dyads/R%2FS/UKR.json", "/network.json?min_events=0", "/actors.json?country=RUSSIA",
                                 "/quotes.json?kind=shouted", "/clusters.json?min_articles=x",
                                 "/events/%3Cscript%3E.json", "/articles/nope.json", "/clusters/nope.json",
                                 "/events/a:1.json", "/nowhere.json"])
def test_bad_input_gets_a_4xx_with_a_reason(readonly, url):
    answer = readonly.get(url)
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"] == "application/json" and answer.json()["detail"]


def test_bad_bodies_get_a_4xx(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.post("/code", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
                         ).status_code == 400
    assert writable.post("/code", content=b"[1, 2]", headers={**auth, "Content-Type": "application/json"}
                         ).status_code == 400
    assert writable.post("/code", content=b"text", headers={**auth, "Content-Type": "text/plain"}).status_code == 415
    too_long = writable.post("/code", json={"text": "war " * 6000}, headers=auth)
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"] == ["text"]
    assert writable.post("/code", json={"text": "x", "date": "2022-13-45"}, headers=auth).status_code == 422
    assert writable.post("/code", json={}, headers=auth).status_code == 422


def test_request_bodies_over_the_limit_are_refused(handmade, tmp_path):
    db = tmp_path / "small.duckdb"
    db.write_bytes(Path(handmade).read_bytes())
    with AppClient(create_app(db, token=TOKEN, coder=MemoryCoder(), limits=Limits(max_body=2048))) as c:
        big = json.dumps({"text": "a" * 4000}).encode()
        declared = c.post("/code", content=big, headers={"Content-Type": "application/json"})
        assert declared.status_code == 413

        async def chunks():              # no Content-Length: counted as it arrives
            yield big[:1500]
            yield big[1500:]
        streamed = c.post("/code", content=chunks(), headers={"Content-Type": "application/json",
                                                              "Authorization": f"Bearer {TOKEN}"})
        assert streamed.status_code == 413


def test_a_query_over_the_time_limit_answers_503(handmade):
    with AppClient(create_app(handmade, limits=Limits(query_seconds=1e-9))) as c:
        answer = c.get("/events.json")
        assert answer.status_code == 503 and "longer than" in answer.json()["detail"]


def test_errors_are_pages_for_browsers_and_json_for_clients(readonly):
    page = readonly.get("/articles/nope", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    form = readonly.get("/events?since=bad-date", headers={"Accept": "text/html"})
    assert form.status_code == 422 and "since" in form.text
    assert readonly.get("/events?since=", headers={"Accept": "text/html"}).status_code == 200   # blank form field


def test_pages_carry_security_headers_and_load_nothing_from_outside(readonly):
    for path in ("/", "/events", "/dyads/RUS/UKR", "/network", "/search?q=Minsk", "/quotes", "/actors", "/clusters",
                 "/code", "/ingest", "/api"):
        answer = readonly.get(path)
        assert answer.status_code == 200, path
        assert "default-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r'(src|href)="(https?:)?//', answer.text), path


def test_plotly_comes_from_the_installed_package(readonly):
    import plotly
    served = readonly.get("/vendor/plotly.min.js")
    assert served.content == (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    assert '<script src="/vendor/plotly.min.js">' in readonly.get("/dyads/RUS/UKR").text


def test_openapi_documents_every_json_view_and_the_writes(readonly):
    spec = readonly.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/index.json", "/events.json", "/events/{event_id}.json", "/articles/{article_id}.json", "/actors.json",
            "/dyads.json", "/dyads/{a}/{b}.json", "/network.json", "/quotes.json", "/search.json", "/clusters.json",
            "/clusters/{cluster_id}.json", "/code", "/ingest", "/healthz"} == paths
    params = {p["name"] for p in spec["paths"]["/events.json"]["get"]["parameters"]}
    assert {"source", "target", "actor", "country", "type", "status", "since", "until", "limit", "offset"} <= params
    assert "bearer" in json.dumps(spec["paths"]["/code"]["post"]["security"]).lower()
    reference = readonly.get("/api").text
    assert all(f"<code>{p}</code>" in reference for p in paths)


def test_html_routes_are_not_in_the_spec_but_answer_json_on_request(readonly):
    spec = readonly.get("/openapi.json").json()
    for json_path in [p for p in spec["paths"] if p.endswith(".json") and "{" not in p]:
        html_path = "/" if json_path == "/index.json" else json_path[:-5]
        assert readonly.get(html_path, headers={"Accept": "application/json"}).json() == readonly.get(json_path).json()


# ---------------------------------------------------------------------- the views' pieces
def test_segments_nest_overlapping_spans_and_label_where_they_end():
    text = "Putin said Russia attacked Ukraine."
    record = {"mentions": [{"text": "Russia", "start": 11, "end": 17, "code": "RUS", "country": "RUS"}],
              "events": [{"trigger": {"text": "attacked", "start": 18, "end": 26}, "cameo": "190", "plover": "ASSAULT",
                          "status": "reported", "quad_class": 4, "goldstein": -10, "source": {"code": "RUS"},
                          "target": None, "location": None}],
              "quotes": [{"speaker": {"code": "RUSGOV", "name": "Vladimir Putin"}, "kind": "indirect",
                          "cue": {"text": "said", "start": 6, "end": 10},
                          "content": {"text": "Russia attacked Ukraine", "start": 11, "end": 34}}]}
    spans = web_views.record_spans(record)
    pieces = web_views.segments(text, spans)
    assert "".join(p["text"] for p in pieces) == text
    russia = next(p for p in pieces if p["text"] == "Russia")
    assert russia["classes"] == "hl-actor hl-quote" and [t["label"] for t in russia["tags"]] == ["RUS"]
    attacked = next(p for p in pieces if p["text"] == "attacked")
    assert "st-reported" in attacked["classes"] and attacked["anchors"] == ["t0"]
    assert [t["label"] for t in attacked["tags"]] == ["190 ASSAULT · reported"]
    assert [t["label"] for t in pieces[-2]["tags"]] == ["quote · RUSGOV"]


def test_layout_is_deterministic_and_fills_the_unit_square():
    ids = ["RUS", "UKR", "BLR", "EGY", "JOR"]
    links = [("RUS", "UKR"), ("BLR", "RUS"), ("EGY", "JOR")]
    first, second = web_views.layout(ids, links), web_views.layout(ids, links)
    assert first == second
    xs, ys = [p[0] for p in first.values()], [p[1] for p in first.values()]
    assert min(xs) == min(ys) == 0 and max(xs) == max(ys) == 1
    assert web_views.layout([], []) == {}


def test_serve_is_a_documented_click_command():
    from tidings.cli_web import register, serve
    group = click.Group()
    register(group)
    assert group.commands["serve"] is serve
    result = CliRunner().invoke(group, ["serve", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--token" in result.output
    missing = CliRunner().invoke(group, ["serve", "--db", "/nonexistent/x.duckdb"])
    assert missing.exit_code == 1 and "no such store" in missing.output
