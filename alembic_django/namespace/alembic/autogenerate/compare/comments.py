"""``alembic.autogenerate.compare.comments``: the plugin ``alembic.autogenerate.comments``."""

from .....engine.autogenerate.builtin_plugins.comments import setup
from .....engine.autogenerate.compare import (  # noqa: F401
    _compare_column_comment,
    _compare_table_comment,
)

__all__ = ["setup"]
