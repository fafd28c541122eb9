"""``tidings serve``: the web dashboard and JSON API over a store (a thin skin over ``web.create_app``)."""
from __future__ import annotations

import click

from .cli_corpus import db_option


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0: every one).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="TIDINGS_TOKEN", help="Allow writes (POST /code, POST /ingest) to clients that send "
              "it as 'Authorization: Bearer TOKEN'; also $TIDINGS_TOKEN. Without it the server is read-only.")
@click.option("--allow-private-urls", is_flag=True, help="Let POST /ingest fetch loopback and private addresses.")
@click.option("--max-body", default=256 * 1024, show_default=True, type=click.IntRange(1024),
              help="Largest request body accepted, in bytes (413 above).")
@click.option("--query-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds a store query may take (503 above).")
@click.option("--code-timeout", default=60.0, show_default=True, type=click.FloatRange(1),
              help="Seconds coding or ingesting may take (503 above).")
def serve(db, host, port, token, allow_private_urls, max_body, query_timeout, code_timeout) -> None:
    """Serve the store as a dashboard (HTML) and a JSON API with OpenAPI (/api, /openapi.json).

    Read-only unless --token is given; then the store is opened for writing (no other process may write
    it meanwhile) and the spaCy pipeline is loaded before the server starts.

    \b
    Examples:
      tidings serve --db news.duckdb                       # http://127.0.0.1:8000/
      TIDINGS_TOKEN=s3cret tidings serve --db news.duckdb --host 0.0.0.0 --port 8080
      curl 'http://127.0.0.1:8000/events.json?source=RUS&type=ASSAULT&since=2022-02-24'
    """
    from pathlib import Path

    import uvicorn

    from .web import Limits, PipelineCoder, create_app
    if not token and not Path(db).exists():
        raise click.ClickException(f"{db}: no such store (run `tidings ingest` and `tidings run` first)")
    coder = PipelineCoder()
    if token:
        click.echo("tidings: loading the spaCy pipeline for POST /code and /ingest…", err=True)
        coder.pipeline          # noqa: B018 - loads it now, not on the first request
    limits = Limits(max_body=max_body, query_seconds=query_timeout, code_seconds=code_timeout)
    app = create_app(db, token=token, coder=coder, allow_private_urls=allow_private_urls, limits=limits)
    mode = "writable with the token" if token else "read-only"
    click.echo(f"tidings: serving {db} ({mode}) at http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False,
                timeout_graceful_shutdown=5)


def register(main: click.Group) -> None:
    """Add ``serve`` to the ``tidings`` group."""
    if serve.name not in main.commands:
        main.add_command(serve)


if __name__ == "__main__":      # python -m tidings.cli_web serve ... (until cli.py calls register)
    from .cli import main as tidings_main
    register(tidings_main)
    tidings_main()
