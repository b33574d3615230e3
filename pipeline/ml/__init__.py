"""Thinc model builders for the project's components, registered as ``race.*`` architectures."""
