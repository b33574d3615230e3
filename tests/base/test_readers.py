import gzip
import json

import pytest

from racereport.base.build import build_base_data
from racereport.base.readers import BaseDataError, read_germeval, read_smartdata, read_uner
from racereport.tokenizer import blank


@pytest.fixture(scope="module")
def nlp():
    return blank("de")


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_germeval_keeps_per_loc_org_and_drops_oth_deriv(nlp, tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(
        "#\tsource\n1\tAngela\tB-PER\tO\n2\tMerkel\tI-PER\tO\n3\tbesucht\tO\tO\n"
        "4\tdeutsche\tB-LOCderiv\tO\n5\tFirmen\tO\tO\n6\twie\tO\tO\n7\tBMW\tB-ORG\tO\n\n"
        "#\tsource\n1\tEcce\tB-OTH\tO\n2\thomo\tI-OTH\tO\n3\tin\tO\tO\n4\tBerlin\tB-LOC\tO"
    )  # no final newline, like the real test file
    docs = list(read_germeval(nlp, path))
    assert [ents(d) for d in docs] == [
        [("Angela Merkel", "PER"), ("BMW", "ORG")],
        [("Berlin", "LOC")],
    ]


def test_germeval_bad_line(nlp, tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("1\tnur-zwei-spalten\n")
    with pytest.raises(BaseDataError, match=r"g.tsv:1: expected 4"):
        list(read_germeval(nlp, path))


def test_uner(nlp, tmp_path):
    path = tmp_path / "u.iob2"
    path.write_text(
        "# sent_id = 1\n1\tKori\tB-PER\t-\t-\n2\tSchulman\tI-PER\t-\t-\n"
        "3\tin\tO\t-\t-\n4\tWashington\tB-LOC\t-\t-\n\n"
    )
    assert [ents(d) for d in read_uner(nlp, path)] == [
        [("Kori Schulman", "PER"), ("Washington", "LOC")]
    ]


def test_smartdata_concatenated_json(nlp, tmp_path):
    def obj(text, mentions):
        return {
            "text": {"string": text},
            "conceptMentions": {
                "array": [{"span": {"start": s, "end": e}, "type": t} for s, e, t in mentions]
            },
        }

    text = "Michael Peters von Euronews in Cannes am 12.04.2016"
    a = obj(
        text,
        [
            (0, 14, "person"),
            (19, 27, "organization-company"),
            (31, 37, "location-city"),
            (41, 51, "date"),
        ],
    )
    b = obj("Stau auf der A7 \n", [(13, 17, "location-street")])  # trailing space/newline
    path = tmp_path / "s.json.gz"
    with gzip.open(path, "wt") as f:
        f.write(json.dumps(a, indent=2) + "\n" + json.dumps(b, indent=2))
    docs = list(read_smartdata(nlp, path))
    assert ents(docs[0]) == [("Michael Peters", "PER"), ("Euronews", "ORG"), ("Cannes", "LOC")]
    assert ents(docs[1]) == [("A7", "LOC")]


def test_build_names_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"germeval2014/NER-de-dev\.tsv"):
        build_base_data(tmp_path, tmp_path / "out")
