"""The command line: formats, stdin, exit codes, help with examples, README coverage."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from tidings.cli import main

pytestmark = pytest.mark.model


def run(args, stdin=None):
    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


def test_example_prints_a_table_of_events():
    r = run(["code", "--example", "--format", "table", "--quiet"])
    assert r.exit_code == 0
    assert "CONSULT" in r.output and "BLRGOV" in r.output


def test_jsonl_file_in_jsonl_out_in_order_with_failures(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Egypt held talks with Jordan."}\n{bad json\n'
                   '{"id": "c", "text": "Israel launched airstrikes on Lebanon.", "date": "2024-01-01"}\n',
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run(["code", str(src), "-o", str(out), "--quiet"])
    assert r.exit_code == 1
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [rec["id"] for rec in recs] == ["a", "in.jsonl:2", "c"]
    assert recs[1]["error"]["code"] == "E101" and recs[2]["date"] == "2024-01-01"


def test_txt_file_and_folder_and_date_option(tmp_path):
    (tmp_path / "one.txt").write_text("Egypt held talks with Jordan.", encoding="utf-8")
    r = run(["code", str(tmp_path), "--date", "2024-01-07", "--quiet"])
    rec = json.loads(r.output.splitlines()[0])
    assert r.exit_code == 0 and rec["id"] == "one" and rec["date"] == "2024-01-07"


def test_stdin_and_csv():
    r = run(["code", "-", "--format", "csv", "--quiet"], stdin="Israel launched airstrikes on Lebanon.")
    lines = r.output.strip().splitlines()
    assert lines[0].startswith("id,outlet,date") and "ASSAULT" in lines[1]


def test_bad_date_is_a_usage_error():
    r = CliRunner().invoke(main, ["code", "--example", "--date", "yesterday"])
    assert r.exit_code == 2


def test_info_prints_versions():
    r = run(["info"])
    info = json.loads(r.output)
    assert info["pipeline"]["name"] == "en_core_web_md" and info["tidings"]


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in main.commands.items():
        r = run([name, "--help"])
        assert r.exit_code == 0 and "Example" in r.output, name
        assert re.search(rf"tidings {name}\b", readme), f"README does not document `tidings {name}`"


def test_installed_entry_point_runs():
    r = subprocess.run([str(Path(sys.executable).parent / "tidings"), "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "tidings" in r.stdout


def test_quotes_command_prints_speaker_cue_and_content():
    r = run(["quotes", str(ROOT / "tidings" / "example" / "article.txt")])
    assert r.exit_code == 0
    assert "Aleksandr Lukashenko" in r.output and "cue “asserted”" in r.output
    assert "Belarus remains a reliable partner for Russia" in r.output
