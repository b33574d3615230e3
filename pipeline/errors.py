"""Errors a user can meet before any model is loaded (importing this module is cheap,
so the command line can catch them without importing spaCy)."""

from __future__ import annotations


class ModelNotFoundError(FileNotFoundError):
    """No pipeline where one was expected."""
