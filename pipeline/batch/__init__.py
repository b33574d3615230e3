"""Batch corpus processing: read many documents, run the pipeline, write one row each.

:mod:`.sources` reads inputs lazily (text files, folders, JSONL, Parquet, saved
Hugging Face datasets), :mod:`.sink` writes JSONL or Parquet and knows what is done
already (resume), :mod:`.local` runs the job on one machine with ``nlp.pipe``
(``n_process`` workers), :mod:`.ray_engine` runs the same job on Ray Data.
"""
