"""``alembic.ddl.sqlite``: the sqlite implementation and its DDL visitors."""

from ....engine.ddl.sqlite import *  # noqa: F401,F403
from ....engine.ddl.sqlite import __all__  # noqa: F401


from ....engine.ddl import sqlite as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
