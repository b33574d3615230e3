"""Corpus statistics: counts per label, incident type, relation type, series, register."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from racereport import schema
from racereport.records import Document


@dataclass
class CorpusStats:
    """Counts over a set of documents; labels of the schema are listed even at zero."""

    documents: int = 0
    words: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    incident_types: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    series: Counter[str] = field(default_factory=Counter)
    registers: Counter[str] = field(default_factory=Counter)
    lengths: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, object]:
        """JSON-compatible form, label sets in schema order then by count."""
        return {
            "documents": self.documents,
            "words": self.words,
            "entities": {k: self.entities[k] for k in schema.ENTITY_LABELS},
            "incident_types": {k: self.incident_types[k] for k in schema.INCIDENT_TYPES},
            "relations": {k: self.relations[k] for k in schema.RELATION_LABELS},
            "series": dict(self.series.most_common()),
            "registers": {k: self.registers[k] for k in schema.REGISTERS},
            "lengths": {k: self.lengths[k] for k in schema.LENGTHS},
            "languages": dict(self.languages.most_common()),
        }


def compute_stats(docs: Iterable[Document]) -> CorpusStats:
    """Count documents, whitespace words, entities, incident types, relations and metadata."""
    stats = CorpusStats()
    for doc in docs:
        stats.documents += 1
        stats.words += len(doc.text.split())
        stats.series[doc.series or "(none)"] += 1
        stats.registers[doc.register] += 1
        stats.lengths[doc.length] += 1
        stats.languages[doc.lang] += 1
        for ent in doc.entities:
            stats.entities[ent.label] += 1
            if ent.type:
                stats.incident_types[ent.type] += 1
        for rel in doc.relations:
            stats.relations[rel.label] += 1
    return stats
