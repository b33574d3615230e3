"""The annotation loop: pre-annotate, export to annotation tools, import corrections,
select what to annotate next, and measure agreement.

- :mod:`pipeline.annotate.tasks`: documents to annotate with the model's pre-annotations
  and their confidences (:class:`~pipeline.annotate.tasks.Task`).
- :mod:`pipeline.annotate.labelstudio`, :mod:`pipeline.annotate.doccano`,
  :mod:`pipeline.annotate.prodigy`: each tool's task format, both directions.
- :mod:`pipeline.annotate.importer`: read a tool's export back into the corpus format,
  validated, with provenance.
- :mod:`pipeline.annotate.select`: active learning (uncertainty and diversity).
- :mod:`pipeline.annotate.agreement`: inter-annotator agreement.
- :mod:`pipeline.annotate.labelstudio_api`: a small client for Label Studio's REST API.
"""
