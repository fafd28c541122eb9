"""The ``tidings`` command line. Each command is a thin skin over one library function.

Exit codes: 0 all records coded; 1 some records failed (each named on stderr and in the output);
2 bad usage.
"""
from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path

import click

from . import __version__
from .errors import RecordError

EXAMPLE = Path(str(resources.files("tidings") / "example" / "article.txt"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tidings")
@click.option("--kb", "kb_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A knowledge-base overlay file (repeatable); also TIDINGS_KB=file1:file2.")
def main(kb_files) -> None:
    """tidings: political event data from news text (CAMEO/PLOVER events, dated actors, claim
    status, quotes and evidence spans).

    \b
    Example:
      tidings code --example --format table
    """
    if kb_files:
        extra = os.pathsep.join(str(Path(f).resolve()) for f in kb_files)
        os.environ["TIDINGS_KB"] = os.pathsep.join(filter(None, [os.environ.get("TIDINGS_KB"), extra]))


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl", show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--date", help="Publication date (YYYY-MM-DD) for a single .txt or stdin text.")
@click.option("--example", is_flag=True, help="Code the bundled example article.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def code(inputs, out_path, fmt, workers, date, example, quiet) -> None:
    """Code articles into event records (one output record per input record, in order).

    INPUTS are JSONL files ({"id", "text", "date"?, "title"?, "url"?, "outlet"?} per line), .txt files
    (one article each; id = file name), folders of those, or - for stdin.

    \b
    Examples:
      tidings code --example --format table
      tidings code articles.jsonl -o events.jsonl --workers 2
      echo "Russian troops shelled Kharkiv on Monday." | tidings code - --date 2022-03-01 --format table
    """
    from .coder import code_records
    from .inputs import read_inputs
    from .output import WRITERS, failure_record
    from .record import parse_date

    paths = list(inputs) + ([str(EXAMPLE)] if example else [])
    if not paths:
        raise click.UsageError("give INPUT paths, - for stdin, or --example")
    try:
        day = parse_date(date, "--date")
    except RecordError as e:
        raise click.BadParameter(str(e), param_hint="--date") from e
    failed = 0
    out = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
    writer = WRITERS[fmt](out)
    try:
        for result in _progress(code_records(read_inputs(paths, day), workers=workers), quiet):
            if isinstance(result, RecordError):
                failed += 1
                click.echo(f"tidings: record {result.record_id}: {result}", err=True)
                result = failure_record(result)
            writer.write(result)
    finally:
        writer.close()
        if out_path:
            out.close()
    if failed:
        click.echo(f"tidings: {failed} record(s) could not be coded", err=True)
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--date", help="Publication date (YYYY-MM-DD) for a single .txt or stdin text.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
def quotes(inputs, date, workers) -> None:
    """Print who said what: speaker, cue and content of every quote, for a person to read.

    INPUTS are read as by `tidings code` (JSONL, .txt, folders, - for stdin).

    \b
    Example:
      tidings quotes tidings/example/article.txt
    """
    from .coder import code_records
    from .inputs import read_inputs
    from .output import quote_lines
    from .record import parse_date
    try:
        day = parse_date(date, "--date")
    except RecordError as e:
        raise click.BadParameter(str(e), param_hint="--date") from e
    failed = 0
    for result in code_records(read_inputs(list(inputs), day), workers=workers):
        if isinstance(result, RecordError):
            failed += 1
            click.echo(f"tidings: record {result.record_id}: {result}", err=True)
            continue
        click.echo("\n".join(quote_lines(result)) + "\n")
    sys.exit(1 if failed else 0)


def _progress(results, quiet: bool):
    from tqdm import tqdm
    return tqdm(results, unit=" records", disable=True if quiet else None, file=sys.stderr, leave=False)


@main.command()
def info() -> None:
    """Print JSON with the tidings version and the spaCy pipeline in use.

    \b
    Example:
      tidings info
    """
    import spacy

    from . import nlp
    from .kb import currency, default_kb
    pipeline = nlp.load()
    click.echo(json.dumps({"tidings": __version__, "spacy": spacy.__version__,
                           "pipeline": nlp.pipeline_info(pipeline), "knowledge_base": default_kb().stats(),
                           "knowledge_current_to": currency()}, indent=2))


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
def resolve(inputs, out_path) -> None:
    """Resolve short actor texts to name, KB id, country, sector and code.

    INPUTS are JSONL files of {"id", "text", "date"?, "context"?} (or - for stdin); one output line
    per input. Without a date the text is resolved as of today; "context" (a country, demonym or
    place) gives the country when the text names none.

    \b
    Example:
      echo '{"id": 1, "text": "US Senator Marco Rubio", "date": "2022-03-01"}' | tidings resolve -
      echo '{"id": 2, "text": "the National Guard", "context": "Saudi"}' | tidings resolve -
    """
    from .resolver import resolve_records
    rows, failed = _json_rows(inputs or ["-"]), 0
    out = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
    try:
        for res in resolve_records(rows):
            failed += "error" in res
            out.write(json.dumps(res, ensure_ascii=False) + "\n")
    finally:
        if out_path:
            out.close()
    sys.exit(1 if failed else 0)


def _json_rows(paths):
    for p in paths:
        text = sys.stdin.read() if p == "-" else Path(p).read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    yield {"id": f"{p}:{n}", "text": None, "_bad": str(e)}


@main.command()
@click.argument("name")
@click.option("--date", help="Mark the roles held on this date (YYYY-MM-DD).")
def actor(name, date) -> None:
    """Who is NAME? Their roles in the knowledge base, marked at --date.

    \b
    Example:
      tidings actor Poroshenko --date 2016-01-01
    """
    from .record import parse_date
    from .resolver import describe
    try:
        day = parse_date(date, "--date")
    except RecordError as e:
        raise click.BadParameter(str(e), param_hint="--date") from e
    click.echo(describe(name, day))


@main.group()
def kb() -> None:
    """The knowledge base: statistics and importers.

    \b
    Example:
      tidings kb stats
    """


@kb.command()
def stats() -> None:
    """Counts of countries, organisations, agents, persons and roles, and the date it is current to.

    \b
    Example:
      tidings kb stats
    """
    from .kb import default_kb, kb_report
    click.echo(json.dumps(kb_report(default_kb()), indent=2))


@kb.command("import-petrarch")
@click.argument("path", type=click.Path(exists=True))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), default="petrarch_kb", show_default=True)
def import_petrarch(path, out_dir) -> None:
    """Turn PETRARCH/Phoenix .actors dictionaries into overlay files (persons, organisations).

    \b
    Example:
      tidings kb import-petrarch phoenix/ -o my_kb && tidings --kb my_kb/petrarch_persons.tsv code in.jsonl
    """
    from .importers import import_petrarch as run
    click.echo(json.dumps(run(Path(path), Path(out_dir))))


@kb.command("import-wikidata")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", type=click.Path(dir_okay=False), default="wikidata_persons.tsv", show_default=True)
def import_wikidata(path, out) -> None:
    """Turn a Wikidata Query Service JSON export of office-holders into a persons overlay file.

    \b
    Example:
      tidings kb import-wikidata office_holders.json -o mine.tsv && tidings --kb mine.tsv actor "Jane Roe"
    """
    from .importers import import_wikidata as run
    click.echo(json.dumps(run(Path(path), Path(out))))


from .cli_corpus import register as register_corpus  # noqa: E402  (commands defined in their stage module)
from .cli_web import register as register_web  # noqa: E402

register_corpus(main)
register_web(main)


if __name__ == "__main__":
    main()
