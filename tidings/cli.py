"""The ``tidings`` command line. Each command is a thin skin over one library function.

Exit codes: 0 all records coded; 1 some records failed (each named on stderr and in the output);
2 bad usage.
"""
from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import click

from . import __version__
from .errors import RecordError

EXAMPLE = Path(str(resources.files("tidings") / "example" / "article.txt"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tidings")
def main() -> None:
    """tidings: political event data from news text (CAMEO/PLOVER events, dated actors, claim
    status, quotes and evidence spans).

    \b
    Example:
      tidings code --example --format table
    """


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
    from .kb import KNOWLEDGE_DATE, default_kb
    pipeline = nlp.load()
    click.echo(json.dumps({"tidings": __version__, "spacy": spacy.__version__,
                           "pipeline": nlp.pipeline_info(pipeline), "knowledge_base": default_kb().stats(),
                           "knowledge_current_to": KNOWLEDGE_DATE.isoformat()}, indent=2))


if __name__ == "__main__":
    main()
