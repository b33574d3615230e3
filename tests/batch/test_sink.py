import json

from racereport.batch.sink import JsonlSink, ParquetSink, read_rows


def row(i, error=None):
    return {
        "id": f"d{i}",
        "source": "s",
        "lang": "de",
        "entities": [
            {"id": "e1", "start": 0, "end": 3, "label": "DRIVER", "text": "Max", "type": None}
        ],
        "relations": [],
        "graph": {"nodes": [], "edges": []},
        "warnings": [],
        "error": error,
    }


def test_jsonl_sink_cuts_a_torn_last_line_and_remembers_done(tmp_path):
    path = tmp_path / "out.jsonl"
    sink = JsonlSink(path)
    sink.write([row(1), row(2)])
    sink.close()
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row(3))[:20])  # killed in the middle of a line
    again = JsonlSink(path)
    assert again.done == {("s", "d1"), ("s", "d2")}
    again.write([row(3)])
    again.close()
    assert [r["id"] for r in read_rows(path)] == ["d1", "d2", "d3"]


def test_parquet_sink_writes_whole_parts_only(tmp_path):
    folder = tmp_path / "out"
    sink = ParquetSink(folder, rows_per_part=2)
    sink.write([row(i) for i in range(5)])  # two parts written, one row buffered
    (folder / ".part-00002.parquet.tmp").write_bytes(b"half a file")  # killed while writing
    sink._lock_file.close()  # the process died: the system released its lock
    again = ParquetSink(folder, rows_per_part=2)
    assert again.done == {("s", f"d{i}") for i in range(4)}
    assert not list(folder.glob(".*.tmp"))
    again.write([row(4, error="empty text")])
    again.close()
    rows = read_rows(folder)
    assert [r["id"] for r in rows] == ["d0", "d1", "d2", "d3", "d4"]
    assert rows[0] == row(0) and rows[4]["error"] == "empty text"


def test_parquet_parts_written_before_warnings_existed_still_read(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "old"
    folder.mkdir()
    old = {k: v for k, v in row(0).items() if k != "warnings"}
    json_columns = ("entities", "relations", "graph")
    flat = {k: json.dumps(v) if k in json_columns else v for k, v in old.items()}
    pq.write_table(pa.Table.from_pylist([flat]), folder / "part-00000.parquet")
    assert read_rows(folder) == [row(0)]
    assert ParquetSink(folder).done == {("s", "d0")}
