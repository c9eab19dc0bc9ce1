"""DDL emission per dialect: :class:`~.impl.DefaultImpl` and its dialect subclasses."""

from .impl import DefaultImpl

__all__ = ["DefaultImpl"]
