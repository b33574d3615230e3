"""Several languages in one corpus: identify each document's language and route it to
that language's pipeline (:mod:`racereport.multilingual.langid`,
:mod:`racereport.multilingual.router`)."""
