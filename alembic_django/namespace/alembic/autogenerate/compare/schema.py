"""``alembic.autogenerate.compare.schema``: the plugin ``alembic.autogenerate.schemas``."""

from .....engine.autogenerate.builtin_plugins.schema import setup
from .....engine.autogenerate.compare import _autogen_for_schemas as _produce_net_changes  # noqa: F401

__all__ = ["setup"]
