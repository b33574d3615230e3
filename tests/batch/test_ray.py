"""The Ray engine on a local Ray instance gives the local engine's rows."""

from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from racereport.batch.local import run_local  # noqa: E402
from racereport.batch.ray_engine import run_ray  # noqa: E402
from racereport.batch.sink import open_sink, read_rows  # noqa: E402
from racereport.batch.sources import read_inputs  # noqa: E402
from tests.batch.conftest import BAD, GOOD  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def key(row):
    return (row["source"], row["id"])


def test_ray_engine_matches_local_engine_and_resumes(
    local_ray, tiny_pipeline_dir, inputs, tmp_path, monkeypatch
):
    import spacy

    monkeypatch.chdir(inputs.parent)  # relative input paths first, absolute on resume
    relative = Path(inputs.name)
    local_out = tmp_path / "local.jsonl"
    run_local(spacy.load(tiny_pipeline_dir), read_inputs([relative]), open_sink(local_out))
    ray_out = tmp_path / "ray"
    summary = run_ray([relative], ray_out, "parquet", model=str(tiny_pipeline_dir), batch_size=4)
    assert (summary.done, summary.failed) == (GOOD, BAD)
    rows = sorted(read_rows(ray_out), key=key)
    assert rows == sorted(read_rows(local_out), key=key)
    assert all(Path(r["source"]).is_absolute() for r in rows)  # resume keys on them
    again = run_ray([inputs.resolve()], ray_out, "parquet", model=str(tiny_pipeline_dir))
    assert (again.done, again.failed, again.skipped) == (0, 0, GOOD + BAD)
    assert len(read_rows(ray_out)) == GOOD + BAD
