"""Plugin ``alembic.autogenerate.schemas``: which schemas to compare."""

from __future__ import annotations

from ..compare import _autogen_for_schemas
from ..plugins import Plugin


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_autogen_for_schemas, "autogenerate")
