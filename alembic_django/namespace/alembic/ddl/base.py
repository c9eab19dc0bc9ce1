"""``alembic.ddl.base``: the ALTER DDL elements, their default ``@compiles`` visitors
and the formatting helpers dialect code reuses."""

from ....engine.ddl.base import *  # noqa: F401,F403
from ....engine.ddl.base import __all__  # noqa: F401
from ....engine.ddl.base import _fk_spec  # noqa: F401


from ....engine.ddl import base as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
