"""``alembic.operations.toimpl``: the default implementation of each op object."""

from ....engine.operations.base import Operations  # noqa: F401
from ....engine.operations.toimpl import (  # noqa: F401
    add_column,
    alter_column,
    bulk_insert,
    create_constraint,
    create_index,
    create_table,
    create_table_comment,
    drop_column,
    drop_constraint,
    drop_index,
    drop_table,
    drop_table_comment,
    execute_sql,
    rename_table,
)


from ....engine.operations import toimpl as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
