"""``alembic.autogenerate.compare.tables``: the built-in plugin ``alembic.autogenerate.tables``."""

from .....engine.autogenerate.builtin_plugins.tables import setup
from .....engine.autogenerate.compare import _autogen_for_tables, _compare_tables  # noqa: F401

__all__ = ["setup"]
