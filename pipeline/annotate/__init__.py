"""The annotation loop: pre-annotate, export to annotation tools, import corrections,
select what to annotate next, and measure agreement.

- :mod:`racereport.annotate.tasks`: documents to annotate with the model's pre-annotations
  and their confidences (:class:`~racereport.annotate.tasks.Task`).
- :mod:`racereport.annotate.labelstudio`, :mod:`racereport.annotate.doccano`,
  :mod:`racereport.annotate.prodigy`: each tool's task format, both directions.
- :mod:`racereport.annotate.importer`: read a tool's export back into the corpus format,
  validated, with provenance.
- :mod:`racereport.annotate.select`: active learning (uncertainty and diversity).
- :mod:`racereport.annotate.agreement`: inter-annotator agreement.
- :mod:`racereport.annotate.labelstudio_api`: a small client for Label Studio's REST API.
"""
