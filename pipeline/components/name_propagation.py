"""``racereport_name_propagation``: a name found once is found wherever it recurs.

Real reports name a driver in full once ("Colin McRae") and then by surname ("McRae
won his first title ..."), repeat a team in a results list and in the text, and put
names the training corpus never saw in places where the context says little (a
ticker line, a results row). The NER finds such a name where the context is clear and
misses it elsewhere. This component runs after the NER and labels the other
occurrences in the same document:

- every predicted name (all labels but INCIDENT by default) labels the uncovered,
  token-for-token identical occurrences of its text with its label;
- the surname (last token) of a predicted DRIVER of two or more tokens labels its
  uncovered occurrences as DRIVER.

A text predicted with two labels in one document is left alone, and so is a word that
is also the text or the first word of a predicted entity of another label: the
surname "Halder" spreads next to the TEAM "Team Halder" but not next to a TEAM
"Halder", the TEAM "Porsche" not next to the CAR "Porsche 911". Matching is
case-sensitive on whole tokens, longest first, and never touches a token an entity
covers, so it only adds entities and never changes one the NER predicted. It is not
trained and has no weights.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from racereport import schema

DEFAULT_LABELS = [label for label in schema.ENTITY_LABELS if label != schema.INCIDENT]


@Language.factory(
    "racereport_name_propagation",
    requires=["doc.ents"],
    assigns=["doc.ents"],
    default_config={"labels": DEFAULT_LABELS, "surnames": True, "min_chars": 3},
)
def make_name_propagation(
    nlp: Language, name: str, labels: list[str], surnames: bool, min_chars: int
) -> NamePropagation:
    """Create a :class:`NamePropagation` component."""
    return NamePropagation(name, labels=labels, surnames=surnames, min_chars=min_chars)


Key = tuple[str, ...]


class NamePropagation(Pipe):
    """Label the further occurrences of the names the NER found in a document."""

    def __init__(
        self,
        name: str = "name_propagation",
        *,
        labels: Iterable[str] = DEFAULT_LABELS,
        surnames: bool = True,
        min_chars: int = 3,
    ) -> None:
        unknown = sorted(set(labels) - set(schema.ENTITY_LABELS))
        if unknown:
            raise ValueError(
                f"{name}: unknown labels {unknown}; choose from {list(schema.ENTITY_LABELS)}"
            )
        self.name = name
        self._labels = frozenset(labels)
        self.surnames = surnames
        self.min_chars = min_chars

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels whose names are propagated, in the schema's order."""
        return tuple(label for label in schema.ENTITY_LABELS if label in self._labels)

    def _is_name(self, words: Key) -> bool:
        text = "".join(words)
        return (
            len(text) >= self.min_chars
            and any(c.isalpha() for c in text)
            and not (len(words) == 1 and words[0][:1].islower())
        )

    def _is_surname(self, word: str) -> bool:
        return (
            len(word) >= self.min_chars
            and word[:1].isupper()
            and word.replace("-", "").replace("'", "").isalpha()
        )

    def names(self, ents: Iterable[Span]) -> dict[Key, str]:
        """``{token texts: label}`` of the names that ``ents`` give to propagate."""
        found: dict[Key, set[str]] = {}
        predicted: dict[Key, set[str]] = {}
        for ent in ents:
            key = tuple(t.text for t in ent)
            predicted.setdefault(key, set()).add(ent.label_)
            if len(ent) > 1:  # a make that starts a car's name: "Porsche 911"
                predicted.setdefault((ent[0].text,), set()).add(ent.label_)
            if ent.label_ not in self._labels:
                continue
            if self._is_name(key):
                found.setdefault(key, set()).add(ent.label_)
            if (
                self.surnames
                and ent.label_ == schema.DRIVER
                and len(ent) >= 2
                and self._is_surname(ent[-1].text)
            ):
                found.setdefault((ent[-1].text,), set()).add(schema.DRIVER)
        return {
            key: next(iter(labels))
            for key, labels in found.items()
            if len(labels) == 1 and predicted.get(key, labels) == labels
        }

    def __call__(self, doc: Doc) -> Doc:
        """Add the further occurrences of ``doc``'s predicted names to ``doc.ents``."""
        ents = list(doc.ents)
        names = self.names(ents)
        if not names:
            return doc
        covered = [False] * len(doc)
        for ent in ents:
            covered[ent.start : ent.end] = [True] * len(ent)
        words = [t.text for t in doc]
        lengths = sorted({len(key) for key in names}, reverse=True)
        added: list[Span] = []
        i = 0
        while i < len(doc):
            for n in lengths:
                key = tuple(words[i : i + n])
                if len(key) == n and key in names and not any(covered[i : i + n]):
                    added.append(Span(doc, i, i + n, label=names[key]))
                    i += n
                    break
            else:
                i += 1
        if added:
            doc.ents = ents + added
        return doc
