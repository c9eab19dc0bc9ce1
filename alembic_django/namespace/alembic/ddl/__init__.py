"""``alembic.ddl``: ``DefaultImpl`` and the dialect implementations."""

from ....engine.ddl import base, impl, mssql, mysql, oracle, sqlite  # noqa: F401
from ....engine.ddl.impl import DefaultImpl
from . import postgresql  # noqa: F401

__all__ = ["DefaultImpl"]
