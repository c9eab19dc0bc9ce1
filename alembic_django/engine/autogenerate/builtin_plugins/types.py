"""Plugin ``alembic.autogenerate.types``: column types (``compare_type``)."""

from __future__ import annotations

from ...util.langhelpers import DispatchPriority
from ..compare import _compare_type
from ..plugins import Plugin


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_compare_type, "column", "types",
                                       priority=DispatchPriority.FIRST)
