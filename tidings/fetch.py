"""Fetching web pages and feeds: one small interface, a real HTTP fetcher and an in-memory fake.

Everything that goes to the network goes through a :class:`Fetcher` (one method, ``fetch``), so ingest
can be tested offline with :class:`MemoryFetcher` and a user can plug in their own (a proxy, a cache, a
crawler's archive).
"""
from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

__all__ = ["FetchError", "Fetcher", "HttpFetcher", "MemoryFetcher", "Page"]

TIMEOUT_S = 20                  # per request; news sites answering slower than this are usually down
MAX_BYTES = 10 * 1024 * 1024    # a news page or feed over 10 MB is not an article (same cap as files)
USER_AGENT = "tidings (+https://pypi.org/project/tidings/)"


@dataclass
class Page:
    """What a fetch returns: the final URL (after redirects), the body and its content type."""

    url: str
    body: bytes
    content_type: str = ""


class FetchError(Exception):
    """The page could not be fetched; the message says why (HTTP status, timeout, too large...)."""


class Fetcher(Protocol):
    def fetch(self, url: str) -> Page:
        """Return the page at ``url`` or raise :class:`FetchError`."""


class HttpFetcher:
    """Fetches over HTTP(S) with the standard library: a timeout, a size cap, no cookies, no JavaScript."""

    def __init__(self, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES,
                 opener: urllib.request.OpenerDirector | None = None) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.opener = opener or urllib.request.build_opener()   # e.g. with a redirect check (web.py)

    def fetch(self, url: str) -> Page:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(self.max_bytes + 1)
                kind = response.headers.get("Content-Type", "")
                final = response.geturl()
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            raise FetchError(f"{url}: {getattr(e, 'reason', e)}") from e
        if len(body) > self.max_bytes:
            raise FetchError(f"{url}: larger than {self.max_bytes} bytes")
        return Page(final, body, kind)


class MemoryFetcher:
    """An in-memory web for tests: ``{url: body}`` (str or bytes); other URLs fail like a 404."""

    def __init__(self, pages: dict[str, str | bytes], content_types: dict[str, str] | None = None) -> None:
        self.pages = pages
        self.content_types = content_types or {}
        self.requested: list[str] = []

    def fetch(self, url: str) -> Page:
        self.requested.append(url)
        if url not in self.pages:
            raise FetchError(f"{url}: HTTP Error 404: Not Found")
        body = self.pages[url]
        return Page(url, body.encode("utf-8") if isinstance(body, str) else body, self.content_types.get(url, ""))
