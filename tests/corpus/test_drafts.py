"""The markup files in ``corpus/drafts/`` that the drafts README maps to a corpus file
are its editable source: each converts to exactly the documents of that file, so an
edit made in one place and not the other shows up here."""

import re

import pytest

from racereport.corpus.jsonl import load_documents
from racereport.corpus.markup import read_markup
from tests.conftest import REPO

DRAFTS = REPO / "corpus" / "drafts"
DRAFTS_README = (DRAFTS / "README.md").read_text()
MAPPED = re.findall(r"^- `([\w.]+\.md)` -> `([\w/.]+\.jsonl)`", DRAFTS_README, re.M)


def test_the_drafts_readme_maps_markup_files():
    assert len(MAPPED) >= 10


@pytest.mark.parametrize(("markup", "corpus_file"), MAPPED)
def test_markup_converts_to_its_corpus_file(markup, corpus_file):
    assert list(read_markup([DRAFTS / markup])) == load_documents([REPO / corpus_file])


UNMAPPED = sorted(
    {p.name for p in DRAFTS.glob("*.md")} - {"README.md"} - {markup for markup, _ in MAPPED}
)


@pytest.mark.parametrize("markup", UNMAPPED)
def test_drafts_not_yet_in_a_corpus_convert_and_are_listed(markup):
    """A draft waiting for a later round still converts, and the README says why it waits."""
    assert list(read_markup([DRAFTS / markup]))
    assert f"`{markup}`" in DRAFTS_README
