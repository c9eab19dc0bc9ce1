"""``alembic.autogenerate.compare``: ``comparators`` and the built-in comparison plugins."""

from .....engine.autogenerate.compare import _produce_net_changes, comparators  # noqa: F401
from .....engine.autogenerate.plugins import Plugin
from . import comments, constraints, schema, server_defaults, tables, types, util  # noqa: F401

__all__ = ["Plugin", "comparators"]
