"""The command line answers --help without importing spaCy, thinc or numpy."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from pipeline.cli import app


def test_importing_the_cli_leaves_the_heavy_libraries_unloaded():
    code = (
        "import sys, pipeline.cli; "
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
