"""Plugin ``alembic.autogenerate.comments``: table and column comments."""

from __future__ import annotations

from ..compare import _compare_column_comment, _compare_table_comment
from ..plugins import Plugin


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_compare_column_comment, "column", "comments")
    plugin.add_autogenerate_comparator(_compare_table_comment, "table", "comments")
