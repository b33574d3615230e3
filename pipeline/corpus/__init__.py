"""The annotated race-report corpus: reading, validation, conversion, splits and stats."""

from racereport.corpus.jsonl import CorpusError, iter_documents, load_documents, write_documents

__all__ = ["CorpusError", "iter_documents", "load_documents", "write_documents"]
