"""``racereport train``: options reach the training function."""

from __future__ import annotations

from typer.testing import CliRunner

import racereport.training
from racereport.cli import app


def test_seed_overrides_both_seeds(monkeypatch, tmp_path):
    calls = []

    def fake_train(config, output, corpus, **kwargs):
        calls.append(kwargs)
        return {"documents": 0}

    monkeypatch.setattr(racereport.training, "train_motorsport", fake_train)
    monkeypatch.setattr("racereport.cli.model._print_reports", lambda reports: None)
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--output", str(tmp_path), "--seed", "7"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["train", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert calls[0]["overrides"] == {"training.seed": 7, "system.seed": 7}
    assert calls[1]["overrides"] is None
