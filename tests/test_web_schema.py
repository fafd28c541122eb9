"""The JSON API against its own OpenAPI spec, by schemathesis, in-process: for generated valid and invalid
requests to every documented operation, no 5xx, every status code and content type documented, and every
JSON answer valid against its documented schema. Bounded (``EXAMPLES`` per operation and mode) to stay
near half a minute here.

(schemathesis' own pytest loader for lazily built apps, ``from_fixture``, does not run under pytest 9, so
each operation is a parametrized test that runs the operation's hypothesis strategy.)"""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from test_web_support import handmade_store

from tidings.fetch import MemoryFetcher
from tidings.web import MemoryCoder, SafeFetcher, create_app

TOKEN = "schema-token"
EXAMPLES = 12           # per operation and generation mode
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SPEC = create_app("spec-only.duckdb").openapi()     # the spec needs no store: the app opens it when it starts
VALID, INVALID = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
CASES = [pytest.param(path, method.upper(), mode, id=f"{method.upper()} {path} {mode.value}")
         for path, ops in SPEC["paths"].items() for method, op in ops.items() for mode in (VALID, INVALID)
         if mode is VALID or op.get("parameters") or op.get("requestBody")]    # no input: nothing to get wrong


def _public(host, port, **_):
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    db = handmade_store(tmp_path_factory.mktemp("schema"))
    fetcher = SafeFetcher(MemoryFetcher({"https://news.example/a": "<html><body><p>Russia and Belarus held talks "
                                         "in Minsk on Tuesday about gas prices.</p></body></html>"}), resolve=_public)
    app = create_app(Path(db), token=TOKEN, coder=MemoryCoder(), fetcher=fetcher)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    from schemathesis.python.asgi import shutdown_lifespans
    shutdown_lifespans()            # closes the store the app opened


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_api_answers_as_documented(api_schema, path, method, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)

    check()
