"""Readers never crash and never let one line block a corpus: every input is a document
or an error document."""

import codecs
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from racereport.batch.sources import (
    DEFAULT_FIELDS,
    decode_bytes,
    printable,
    read_jsonl,
    read_text_file,
)

TEXT = "Scott Tucker gewann in Sebring."


def test_byte_order_marks_decide_the_encoding_and_are_not_text(tmp_path):
    for name, data in {
        "utf8": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        "utf16le": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        "utf16be": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        "utf32": TEXT.encode("utf-32"),
        "utf16 without mark": TEXT.encode("utf-16-le"),
    }.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        doc = read_text_file(path)
        assert doc.error is None and doc.text == TEXT, name


def test_binary_and_broken_files_are_error_documents(tmp_path):
    (tmp_path / "zip.bin").write_bytes(b"PK\x03\x04\x00\x00\x14\x00\x08\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Räikkönen".encode("latin-1"))
    assert read_text_file(tmp_path / "zip.bin").error.startswith("binary content")
    assert read_text_file(tmp_path / "latin1.txt").error.startswith("not UTF-8")


def test_a_lone_surrogate_is_an_error_row_and_ids_stay_writable(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        '{"id": "a", "text": "Ver\\ud800stappen gewann."}',
        '{"id": "b\\udc80", "text": "Max gewann."}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_jsonl(path, DEFAULT_FIELDS))
    assert docs[0].error.startswith("unencodable text: a lone surrogate U+D800")
    assert docs[1].error is None and docs[1].id == "b\\udc80"
    json.dumps(docs[1].id, ensure_ascii=False).encode("utf-8")


def test_a_jsonl_file_with_a_byte_order_mark_reads_its_first_line(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b'{"id": "a", "text": "Max gewann."}\n')
    (doc,) = read_jsonl(path, DEFAULT_FIELDS)
    assert doc.error is None and doc.text == "Max gewann."


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_any_bytes_give_one_document_or_one_error(tmp_path, data):
    path = tmp_path / "random.txt"
    path.write_bytes(data)
    doc = read_text_file(path)
    assert (doc.text is None) != (doc.error is None)
    if doc.text is not None:
        doc.text.encode("utf-8")
    text, error = decode_bytes(data)
    assert (text is None) != (error is None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "text", "x"]), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(json_values | st.binary(max_size=40), max_size=8))
def test_any_jsonl_gives_one_result_per_non_empty_line(tmp_path, lines):
    path = tmp_path / "random.jsonl"
    raw = [
        line.replace(b"\n", b" ") if isinstance(line, bytes) else json.dumps(line).encode()
        for line in lines
    ]
    path.write_bytes(b"\n".join(raw) + b"\n")
    docs = list(read_jsonl(path, DEFAULT_FIELDS))
    assert len(docs) == sum(1 for line in raw if line.strip())
    for doc in docs:
        assert (doc.text is None) != (doc.error is None)
        printable(doc.id).encode("utf-8")
        doc.id.encode("utf-8")


def test_fifos_and_dangling_links_get_an_error_row_and_never_block(tmp_path):
    import os

    from racereport.batch.sources import count_inputs, read_inputs

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    docs = {d.id.rsplit("/", 1)[1]: d for d in read_inputs([folder])}
    assert docs["a.txt"].text == TEXT
    assert docs["pipe.jsonl"].error == "cannot read: not a regular file"
    assert docs["gone.txt"].error == "cannot read: a dangling link"
    assert count_inputs([folder]) == 3


def test_a_deeply_nested_line_is_an_error_row(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + '\n{"id": "a", "text": "Max."}\n')
    first, second = read_jsonl(path, DEFAULT_FIELDS)
    assert first.error == "malformed JSON: nested too deeply (line 1)"
    assert second.text == "Max."
