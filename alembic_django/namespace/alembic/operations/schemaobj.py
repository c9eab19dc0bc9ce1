"""``alembic.operations.schemaobj``: ``SchemaObjects`` (Table/Column/constraint builders)."""

from ....engine.operations.schemaobj import SchemaObjects

__all__ = ["SchemaObjects"]


from ....engine.operations import schemaobj as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
