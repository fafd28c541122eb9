"""The dashboard in a real browser: headless Debian Chromium driven by Playwright, against ``tidings serve``'s
app on a loopback port, over a store coded by the real pipeline. Screenshots go to tests/artifacts/web-*.png.

Needs Chromium (``bash scripts/browser.sh`` installs Debian's); skipped when it is missing.
"""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Self

import pytest
from test_web_support import ROOT, coded_store

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.model, pytest.mark.skipif(CHROMIUM is None, reason="no chromium: bash scripts/browser.sh")]


class Server:
    """uvicorn serving the app in a thread, on a loopback port the OS picks."""

    def __init__(self, app) -> None:
        import uvicorn
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tidings.web import create_app
    db = coded_store(tmp_path_factory.mktemp("browser"))
    with Server(create_app(db)) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1360, "height": 900}, offline=False)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    page.close()
    assert not errors, f"browser errors: {errors}"


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"web-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_home_page_shows_counts_dyads_and_latest_events(page, site):
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "Events coded from the news"
    assert page.locator(".card b").first.inner_text().replace(",", "").isdigit()
    assert page.locator("table.events tbody tr").count() > 0
    shoot(page, "home")


def test_event_explorer_filters_by_type_and_pages(page, site):
    page.goto(site + "/events")
    everything = page.locator("table.events tbody tr").count()
    page.fill("#event-filters input[name=type]", "CONSULT")
    page.click("#event-filters button[type=submit]")
    page.wait_for_url("**/events?*type=CONSULT*")
    types = page.locator("table.events tbody tr .type").all_inner_texts()
    assert types and set(types) == {"CONSULT"} and len(types) < everything
    assert "event" in page.locator("#event-count").inner_text()
    shoot(page, "events")


def test_article_page_highlights_actors_triggers_quotes_and_places(page, site):
    page.goto(site + "/events?q=shelled")
    page.locator("table.events tbody tr .source a").first.click()
    page.wait_for_url("**/articles/**")
    text = page.locator("#article-text")
    assert text.locator(".hl-actor").count() > 0
    assert text.locator(".hl-trigger").first.inner_text() == "shelled"
    assert text.locator(".hl-quote").count() > 0
    assert text.locator(".tag-actor").first.inner_text().isupper()
    assert "reported" in " ".join(text.locator(".tag-trigger").all_inner_texts())
    shoot(page, "article")


def test_example_article_shows_its_events_with_status_and_codes(page, site):
    page.goto(site + "/search?q=Shoigu")
    page.locator("#articles + ul a").first.click()
    page.wait_for_url("**/articles/**")
    tags = " ".join(page.locator("#article-text .tag-trigger").all_inner_texts())
    assert "062 COOPERATE" in tags and "040 CONSULT" in tags
    assert "BLRGOV" in page.locator("#article-text .tag-actor").all_inner_texts()
    assert page.locator("aside table.compact tbody tr").count() == 4
    shoot(page, "article-example")


def test_dyad_page_draws_the_chart_of_cooperation_conflict_and_goldstein(page, site):
    page.goto(site + "/dyads/BLR/RUS?by=month")
    page.wait_for_selector("body[data-chart-ready='1']", timeout=20_000)
    chart = page.locator("#dyad-chart")
    assert chart.locator(".main-svg").count() > 0
    assert chart.locator(".bars .point").count() >= 2             # cooperation bars in two months
    assert "mean Goldstein" in chart.locator(".legend").text_content()
    page.select_option("select[name=by]", "week")
    page.click("#dyad-form button[type=submit]")
    page.wait_for_url("**by=week**")
    page.wait_for_selector("body[data-chart-ready='1']", timeout=20_000)
    shoot(page, "dyad")


def test_network_page_draws_actors_and_arrows(page, site):
    page.goto(site + "/network")
    page.wait_for_selector("body[data-chart-ready='1']", timeout=20_000)
    chart = page.locator("#network-chart")
    labels = chart.locator(".textpoint").all_text_contents()
    assert {"RUS", "BLR"} <= set(labels)
    assert chart.locator(".annotation-arrow-g").count() > 0
    shoot(page, "network")


def test_search_quotes_and_clusters_pages_answer(page, site):
    page.goto(site + "/search?q=Kharkiv")
    assert page.locator("#articles + ul li").count() == 2
    shoot(page, "search")
    page.goto(site + "/quotes?q=war")
    assert page.locator("ul.quote-list li").count() >= 1
    shoot(page, "quotes")
    page.goto(site + "/clusters?min_articles=2")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    rows.first.locator(".evidence a").click()
    page.wait_for_url("**/clusters/**")
    assert page.locator("table.events tbody tr").count() >= 2       # both outlets' reports of Kharkiv
    shoot(page, "cluster")


def test_pages_load_no_outside_resources(browser, site):
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site) else None)
    for path in ("/", "/dyads/RUS/UKR", "/network", "/api", "/code"):
        page.goto(site + path)
    page.close()
    assert not outside


def test_code_a_text_form_shows_the_coded_text(browser, tmp_path):
    from tidings.web import create_app
    db = coded_store(tmp_path)
    with Server(create_app(db, token="browser-token")) as server:
        page = browser.new_page()
        page.goto(server.url + "/code")
        page.fill("textarea[name=text]", "Belarusian President Aleksandr Lukashenko said Minsk would not attack "
                                         "Ukraine. Russia and Belarus held talks in Minsk on Tuesday.")
        page.fill("input[name=date]", "2022-05-10")
        page.fill("input[name=token]", "browser-token")
        page.click("form.code-form button[type=submit]")
        page.wait_for_selector("#article-text")
        assert "BLRGOV" in page.locator("#article-text .tag-actor").all_inner_texts()
        assert any("CONSULT" in t for t in page.locator("#article-text .tag-trigger").all_inner_texts())
        assert page.locator("#article-text .st-negated").count() > 0     # "would not attack"
        shoot(page, "code")
        page.close()
