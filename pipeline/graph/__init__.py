"""The event graph: build it from one document, merge graphs across a corpus, export it."""
