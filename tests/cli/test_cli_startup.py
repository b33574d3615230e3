"""The command line answers --help without importing spaCy, thinc or numpy."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from racereport.cli import app


def test_importing_the_cli_leaves_the_heavy_libraries_unloaded():
    code = (
        "import sys, racereport.cli; "
        "print(sorted(m for m in ('spacy', 'thinc', 'numpy', 'torch') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_command_still_has_its_help():
    runner = CliRunner()
    for args in (
        [],
        ["extract"],
        ["evaluate"],
        ["process"],
        ["migrate-model"],
        ["corpus", "validate"],
        ["annotate", "select"],
        ["annotate", "export"],
        ["base", "data"],
    ):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_choices_are_those_the_library_takes():
    from racereport.annotate.formats import TOOLS
    from racereport.annotate.select import STRATEGIES
    from racereport.cli.choices import GraphFormat, Strategy, Tool
    from racereport.graph.export import FORMATS

    assert tuple(t.value for t in Tool) == TOOLS
    assert tuple(s.value for s in Strategy) == STRATEGIES
    assert tuple(f.value for f in GraphFormat) == tuple(FORMATS)


def test_a_value_outside_the_choices_is_a_usage_error_naming_them():
    result = CliRunner().invoke(
        app, ["process", "in.txt", "-o", "out.jsonl", "--engine", "spark"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "'spark' is not one of 'local', 'ray'" in result.output


def _commands(group, path=()):
    for name, command in getattr(group, "commands", {}).items():
        yield (*path, name), command
        yield from _commands(command, (*path, name))


def test_help_texts_hold_no_bracketed_markup_that_rich_would_swallow():
    import typer.main

    root = typer.main.get_command(app)
    for path, command in _commands(root):
        for param in command.params:
            text = getattr(param, "help", None) or ""
            assert "[" not in text.replace("[]", ""), (path, param.name, text)
    result = CliRunner().invoke(app, ["evaluate", "--help"], env={"COLUMNS": "200"})
    assert "Pipeline path or package (default: models/racereport-de)." in result.output
