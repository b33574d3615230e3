"""Default sub-model configs shared by the project's components."""

from __future__ import annotations

TOK2VEC_CONFIG = """
[model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
rows = [5000, 1000, 2500, 2500]
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
include_static_vectors = false

[model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3
"""
"""A component's own tok2vec (``[model.tok2vec]``), for when it does not listen to a
shared one; appended to each component's default model config."""
