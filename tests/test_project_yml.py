"""project.yml: a valid weasel project whose steps are racereport commands that exist."""

from __future__ import annotations

import shlex

import pytest
from typer.testing import CliRunner

from racereport.cli import app
from tests.conftest import REPO

weasel_util = pytest.importorskip("weasel.util")


# Steps that are not racereport commands: spaCy's own packaging, and making its folder.
OTHER_STEPS = (("python", "-m", "spacy", "package"), ("mkdir", "-p"))


def test_project_is_valid_and_every_step_is_a_racereport_command():
    project = weasel_util.load_project_config(REPO)
    commands = {c["name"]: c for c in project["commands"]}
    for workflow in project["workflows"].values():
        assert set(workflow) <= set(commands)
    runner = CliRunner()
    for command in commands.values():
        for line in command["script"]:
            words = shlex.split(line)
            if any(tuple(words[: len(other)]) == other for other in OTHER_STEPS):
                continue
            assert words[0] == "racereport", line
            # the command and its options exist: its --help lists every option used
            groups = ("corpus", "base", "annotate")
            command_words = words[1:3] if words[1] in groups else words[1:2]
            result = runner.invoke(app, [*command_words, "--help"], env={"COLUMNS": "200"})
            assert result.exit_code == 0, line
            options = [w for w in words[1:] if w.startswith("--")]
            for option in options:
                assert option in result.output, (line, option)
