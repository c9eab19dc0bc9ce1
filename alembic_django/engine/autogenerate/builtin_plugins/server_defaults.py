"""Plugin ``alembic.autogenerate.defaults``: server defaults, identity, autoincrement."""

from __future__ import annotations

from ..compare import _compare_server_default, _setup_autoincrement
from ..plugins import Plugin


def setup(plugin: Plugin) -> None:
    plugin.add_autogenerate_comparator(_compare_server_default, "column", "server_default")
    plugin.add_autogenerate_comparator(_setup_autoincrement, "column", "server_default")
