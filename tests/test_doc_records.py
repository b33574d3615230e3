"""doc_records: the record of a processed doc; its text read from the doc's arrays."""

import pytest

from racereport.doc_records import doc_text
from racereport.tokenizer import blank


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "Verstappen gewinnt.",
        "  Level-5-HPD  vor\n\nMorgan \t(Reifenschaden) ",
        "Ende.  ",
        "Über 1.000 Runden – „Safety-Car“!",
    ],
)
def test_doc_text_is_spacys_text_and_the_input(text):
    doc = blank("de")(text)
    assert doc_text(doc) == doc.text == text
