"""``alembic.ddl``: ``DefaultImpl`` and the dialect implementations."""

from ....engine.ddl.impl import DefaultImpl
from . import base, impl, mssql, mysql, oracle, postgresql, sqlite  # noqa: F401

__all__ = ["DefaultImpl"]
