"""spaCy pipeline components of the project, registered through ``spacy_factories``."""
