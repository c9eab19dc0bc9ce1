"""Plugin ``alembic.autogenerate.tables``: added, removed and changed tables and columns."""

from __future__ import annotations

from ..compare import _autogen_for_tables
from ..plugins import Plugin


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_autogen_for_tables, "schema", "tables")
