"""The version table: one row per current head revision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Table,
    delete,
    insert,
    inspect,
    literal_column,
    select,
    update,
)

from ..errors import MigrationError


class VersionTable:
    """``alembic_version(version_num VARCHAR(32) NOT NULL, PK alembic_version_pkc)``."""

    def __init__(self, name: str = "alembic_version", schema: str | None = None,
                 pk: bool = True, table: Table | None = None) -> None:
        self.name = name
        self.schema = schema
        if table is None:
            from ..ddl.impl import version_table_definition

            table = version_table_definition(name, schema, pk)
        self.table = table

    def __getattr__(self, name: str) -> Any:
        """Anything else is the ``Table``'s (``primary_key``, ``c`` ...), as Alembic's
        ``MigrationContext._version`` is the table itself."""
        if name == "table":
            raise AttributeError(name)
        return getattr(self.table, name)

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def exists(self, connection: Any) -> bool:
        return inspect(connection).has_table(self.name, schema=self.schema)

    def heads(self, connection: Any) -> tuple[str, ...]:
        if not self.exists(connection):
            return ()
        rows = connection.execute(select(self.table.c.version_num)).scalars().all()
        return tuple(rows)

    def create(self, impl: Any) -> None:
        impl.create_version_table(self.table) if hasattr(impl, "create_version_table") \
            else impl.create_table(self.table)

    def apply(self, impl: Any, change: tuple, as_sql: bool) -> None:
        """Apply one ``("insert", rev)``, ``("update", old, new)`` or ``("delete", rev)``."""
        c = self.table.c.version_num
        kind = change[0]
        if kind == "insert":
            value: Any = change[1]
            if as_sql:
                # Alembic inserts a literal_column; SQLAlchemy 2 then renders
                # "RETURNING version_num" where the dialect supports it -- same text here
                value = literal_column("'{}'".format(value.replace("'", "''")))
            self._exec(impl, insert(self.table).values(version_num=value), as_sql)
            return
        if kind == "update":
            old, new = change[1], change[2]
            stmt = update(self.table).values(version_num=new).where(c == old)
            what = f"updating '{old}' to '{new}'"
        elif kind == "delete":
            old = change[1]
            stmt = delete(self.table).where(c == old)
            what = f"deleting '{old}'"
        else:  # pragma: no cover - plan.py only produces the three kinds
            raise ValueError(change)
        result = self._exec(impl, stmt, as_sql)
        if not as_sql and result is not None and result.rowcount != 1:
            raise MigrationError(
                f"Online migration expected to match one row when {what} in "
                f"'{self.qualified_name}'; {result.rowcount} found"
            )

    @staticmethod
    def _exec(impl: Any, stmt: Any, as_sql: bool) -> Any:
        if not as_sql:
            return impl._exec(stmt)
        text = str(stmt.compile(dialect=impl.dialect, compile_kwargs={"literal_binds": True}))
        impl.static_output(text.strip() + impl.command_terminator)
        return None
