"""The corpus commands: ingest, run, code-parquet, events, dyad, export, failures.

Each is a thin skin over one library function (ingest.py, scale.py, query.py, export.py, store.py) and
takes ``--db PATH`` (default ``tidings.duckdb``, or ``$TIDINGS_DB``). Exit codes: 0 everything went in /
was coded; 1 some items failed (each recorded, see ``tidings failures``); 2 bad usage.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click

from .query import PERIODS, STATUSES, TABLE_COLUMNS, Filters

__all__ = ["COMMANDS", "register"]

db_option = click.option("--db", "db", default="tidings.duckdb", show_default=True, envvar="TIDINGS_DB",
                         type=click.Path(dir_okay=False), help="The store (a DuckDB file); also $TIDINGS_DB.")


@contextmanager
def open_store(path: str, read_only: bool = False):
    from .store import Store, StoreError
    try:
        store = Store(path, read_only=read_only)
    except StoreError as e:
        raise click.ClickException(str(e)) from e
    try:
        yield store
    finally:
        store.close()


def filter_options(fn):
    """The filters shared by ``events`` and ``export``."""
    opts = [click.option("--source", help="Source actor: a code (RUSMIL) or a country (RUS, matches RUS*)."),
            click.option("--target", help="Target actor: a code or a country."),
            click.option("--type", "type_", help="PLOVER type (ASSAULT) or CAMEO code prefix (19)."),
            click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Events on or after this date."),
            click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Events on or before this date."),
            click.option("--status", help=f"One of {', '.join(STATUSES)} (or a comma list)."),
            click.option("--outlet", help="Only this outlet's reports."),
            click.option("--dedup/--no-dedup", default=None,
                         help="One row per real-world event (cluster), its earliest report."),
            click.option("--limit", type=click.IntRange(1), help="At most this many rows.")]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def make_filters(source, target, type_, since, until, status, outlet, dedup, limit, *, dedup_default=False):
    if status and any(s.strip().lower() not in STATUSES for s in status.split(",")):
        raise click.BadParameter(f"use {', '.join(STATUSES)}", param_hint="--status")
    return Filters(source, target, type_, since.date() if since else None, until.date() if until else None,
                   status, outlet, dedup_default if dedup is None else dedup, limit)


@click.command()
@click.argument("sources", nargs=-1)
@db_option
@click.option("--list", "list_file", type=click.File(encoding="utf-8"),
              help="A file of sources (paths, URLs, feed URLs), one a line.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(sources, db, list_file, quiet) -> None:
    """Take articles into the store: folders of .txt/.html/.json/.jsonl/.csv/.parquet, URLs, RSS/Atom feeds.

    The same text ingested twice is stored once. Files or lines that cannot be read are recorded with
    their reason (tidings failures); exit code 1 if there were any.

    \b
    Examples:
      tidings ingest articles/ news.jsonl --db news.duckdb
      tidings ingest https://example.org/feed.xml --db news.duckdb
    """
    from .ingest import ingest as ingest_sources
    wanted = list(sources) + ([s.strip() for s in list_file if s.strip()] if list_file else [])
    if not wanted:
        raise click.UsageError("give SOURCES (paths, URLs) or --list FILE")
    with open_store(db) as store:
        summary = ingest_sources(wanted, store, progress=not quiet)
    click.echo(json.dumps(summary))
    sys.exit(1 if summary["failed"] else 0)


@click.command()
@db_option
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes (local) or actors (ray).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--address", help="Ray cluster address (e.g. auto, ray://head:10001); default: a local Ray.")
@click.option("--retry-failed", is_flag=True, help="Code again the articles that failed before.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run(db, workers, engine, address, retry_failed, quiet) -> None:
    """Code every stored article not yet coded, then group events into clusters (one event, many reports).

    Safe to kill at any moment and start again: each batch is written in one transaction, so nothing is
    lost or coded twice. Exit code 1 if some articles could not be coded (tidings failures).

    \b
    Examples:
      tidings run --db news.duckdb --workers 2
      tidings run --db news.duckdb --engine ray --workers 8 --address auto
    """
    from .scale import run as run_store
    with open_store(db) as store:
        summary = run_store(store, engine=engine, workers=workers, address=address, progress=not quiet,
                            retry_failed=retry_failed)
    click.echo(json.dumps(summary.as_dict()))
    sys.exit(1 if summary.failed else 0)


@click.command("code-parquet")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the output Parquet files.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--workers", type=click.IntRange(1, 4096), default=1, show_default=True)
@click.option("--address", help="Ray cluster address; default: a local Ray.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def code_parquet(inputs, out_dir, engine, workers, address, quiet) -> None:
    """Code Parquet files (columns id, text, date?, outlet?...) into Parquet (id, record JSON, error).

    Without a store: for corpora too big for one machine, run it on a Ray cluster. Rows with errors
    carry error_code and error_reason; exit code 1 if there were any.

    \b
    Example:
      tidings code-parquet shards/ -o coded/ --engine ray --workers 2
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from .scale import code_parquet as code
    from .scale import parquet_files
    n = code(list(inputs), out_dir, engine=engine, workers=workers, address=address, progress=not quiet)
    failed = None if n is None else sum(
        pc.sum(pc.is_valid(pq.read_table(p, columns=["error_code"])["error_code"])).as_py() or 0
        for p in parquet_files([out_dir]))
    click.echo(json.dumps({"rows": n, "failed": failed, "output": out_dir}))
    sys.exit(1 if failed else 0)


@click.command()
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def events(db, source, target, type_, since, until, status, outlet, dedup, limit, fmt) -> None:
    """List stored events, filtered by actors, type, date and status.

    \b
    Example:
      tidings events --source RUS --target UKR --type ASSAULT --since 2022-02-24 --status asserted
    """
    from .query import events as find
    from .query import write_rows
    f = make_filters(source, target, type_, since, until, status, outlet, dedup, limit)
    with open_store(db, read_only=True) as store:
        rows = find(store, f)
    write_rows(rows, fmt, sys.stdout, TABLE_COLUMNS if fmt == "table" else None)


@click.command()
@click.argument("actor_a")
@click.argument("actor_b")
@db_option
@click.option("--by", type=click.Choice(list(PERIODS)), default="month", show_default=True)
@click.option("--directed", is_flag=True, help="Only ACTOR_A -> ACTOR_B (default: both directions).")
@click.option("--type", "type_", help="PLOVER type or CAMEO prefix.")
@click.option("--status", help=f"One of {', '.join(STATUSES)} (or a comma list).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def dyad(actor_a, actor_b, db, by, directed, type_, status, fmt) -> None:
    """Relations between two actors over time: events, real-world events, Goldstein sum and mean per period.

    \b
    Example:
      tidings dyad BLR RUS --by month
    """
    from .query import dyad as per_period
    from .query import write_rows
    f = make_filters(None, None, type_, None, None, status, None, None, None)
    with open_store(db, read_only=True) as store:
        rows = per_period(store, actor_a, actor_b, by=by, directed=directed, f=f)
    write_rows(rows, fmt, sys.stdout)


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl", "gdelt"]), required=True)
@click.option("-o", "--output", "out_path", required=True, type=click.Path(dir_okay=False))
@filter_options
def export(db, fmt, out_path, source, target, type_, since, until, status, outlet, dedup, limit) -> None:
    """Export events as Parquet, CSV, JSON Lines (the contract's corpus export) or GDELT 2.0's event table.

    gdelt writes one row per real-world event by default (--no-dedup: one per report).

    \b
    Examples:
      tidings export --format jsonl -o events.jsonl --db news.duckdb
      tidings export --format gdelt -o events.gdelt.tsv --source RUS --since 2022-02-24
    """
    from .export import export as write
    f = make_filters(source, target, type_, since, until, status, outlet, dedup, limit, dedup_default=fmt == "gdelt")
    with open_store(db, read_only=True) as store:
        n = write(store, fmt, out_path, f)
    click.echo(json.dumps({"rows": n, "format": fmt, "output": out_path}))


@click.command()
@db_option
@click.option("--stage", type=click.Choice(["ingest", "code"]), help="Only failures of this stage.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def failures(db, stage, fmt) -> None:
    """What could not be ingested or coded, and why (file, line, URL or article; code; reason).

    \b
    Example:
      tidings failures --db news.duckdb --stage ingest
    """
    from .query import write_rows
    with open_store(db, read_only=True) as store:
        rows = store.failures(stage)
    write_rows(rows, fmt, sys.stdout, ["stage", "ref", "code", "reason"] if fmt == "table" else None)


COMMANDS = [ingest, run, code_parquet, events, dyad, export, failures]


def register(main: click.Group) -> None:
    """Add the corpus commands to the ``tidings`` group."""
    for command in COMMANDS:
        if command.name not in main.commands:
            main.add_command(command)


if __name__ == "__main__":      # python -m tidings.cli_corpus ... (until cli.py calls register)
    from .cli import main as tidings_main
    register(tidings_main)
    tidings_main()
