"""``alembic.autogenerate.compare.constraints``: the plugin ``alembic.autogenerate.constraints``."""

from .....engine.autogenerate.builtin_plugins.constraints import setup
from .....engine.autogenerate.compare import (  # noqa: F401
    _compare_foreign_keys,
    _compare_indexes_and_uniques,
    _compare_nullable,
)

__all__ = ["setup"]
