"""Plugin ``alembic.autogenerate.constraints``: indexes, unique constraints, foreign keys
and nullability."""

from __future__ import annotations

from ..compare import _compare_foreign_keys, _compare_indexes_and_uniques, _compare_nullable
from ..plugins import Plugin


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_compare_indexes_and_uniques, "table", "indexes")
    plugin.add_autogenerate_comparator(_compare_foreign_keys, "table", "foreignkeys")
    plugin.add_autogenerate_comparator(_compare_nullable, "column", "nullable")
