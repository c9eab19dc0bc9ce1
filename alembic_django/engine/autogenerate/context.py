"""``AutogenContext``: what compare and render share (Alembic's class of that name)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import CommandError

DEFAULT_OPTS: dict[str, Any] = {
    "compare_type": True,
    "compare_server_default": False,
    "sqlalchemy_module_prefix": "sa.",
    "alembic_module_prefix": "op.",
    "user_module_prefix": None,
    "render_as_batch": False,
    "include_schemas": False,
}


class AutogenContext:
    """State for one autogenerate run: options, hooks, imports, the inspector.

    ``migration_context`` is a MigrationContext (or anything with ``bind``,
    ``dialect`` and ``opts``); its ``opts`` are the ``context.configure()`` keywords.
    """

    def __init__(self, migration_context: Any, metadata: Any = None,
                 opts: dict[str, Any] | None = None, autogenerate: bool = True) -> None:
        merged = dict(DEFAULT_OPTS)
        if migration_context is not None:
            merged.update(getattr(migration_context, "opts", None) or {})
        merged.update(opts or {})
        self.opts = merged
        if autogenerate and migration_context is not None and \
                getattr(migration_context, "as_sql", False):
            raise CommandError(
                "autogenerate can't use as_sql=True as it prevents querying the "
                "database for schema information"
            )
        if metadata is None:
            metadata = merged.get("target_metadata")
        script = getattr(migration_context, "script", None)
        if autogenerate and metadata is None and script is not None:
            raise CommandError(
                "Can't proceed with --autogenerate option; environment script "
                f"{script.env_py_location} does not provide a MetaData object or sequence "
                "of objects to the context."
            )
        self.metadata = metadata
        self.migration_context = migration_context
        self.connection = getattr(migration_context, "bind", None) if migration_context else None
        dialect = getattr(migration_context, "dialect", None) if migration_context else None
        if dialect is None and self.connection is not None:
            dialect = self.connection.dialect
        if dialect is None:
            from sqlalchemy.engine.default import DefaultDialect

            dialect = DefaultDialect()
        self.dialect = dialect
        self.comparators = _comparators(merged) if autogenerate else None
        self.imports: set = set()
        self._has_batch = False
        self._inspector: Any = None
        self._name_filters: list[Callable[..., bool]] = []
        self._object_filters: list[Callable[..., bool]] = []
        if merged.get("include_name"):
            self._name_filters.append(merged["include_name"])
        if merged.get("include_object"):
            self._object_filters.append(merged["include_object"])

    # -- database -----------------------------------------------------------
    @property
    def inspector(self) -> Any:
        if self._inspector is None:
            if self.connection is None:
                raise CommandError("can't get an inspector: no database connection")
            import sqlalchemy as sa

            self._inspector = sa.inspect(self.connection)
        return self._inspector

    # -- metadata -----------------------------------------------------------
    @property
    def metadatas(self) -> list[Any]:
        md = self.metadata
        if md is None:
            return []
        if isinstance(md, (list, tuple)):
            return list(md)
        return [md]

    @property
    def sorted_tables(self) -> list[Any]:
        tables: list[Any] = []
        for md in self.metadatas:
            try:
                tables.extend(md.sorted_tables)
            except Exception:  # noqa: BLE001 - e.g. a key to a table outside this MetaData (SQLAlchemy
                # raises several kinds): keep model order
                tables.extend(md.tables.values())
        return tables

    @property
    def table_key_to_table(self) -> dict[tuple[str | None, str], Any]:
        out: dict[tuple[str | None, str], Any] = {}
        dupes = set()
        for md in self.metadatas:
            for t in md.tables.values():
                key = (t.schema, t.name)
                if key in out:
                    dupes.add(t.fullname)
                out[key] = t
        if dupes:
            raise CommandError(
                "Duplicate table keys across multiple MetaData objects: "
                + ", ".join(f'"{d}"' for d in sorted(dupes))
            )
        return out

    # -- hooks --------------------------------------------------------------
    def run_name_filters(self, name: str | None, type_: str,
                         parent_names: dict[str, Any]) -> bool:
        if not self._name_filters:
            return True
        parent_names = dict(parent_names)
        if "schema_name" in parent_names:
            table_name = name if type_ == "table" else parent_names.get("table_name")
            if table_name:
                schema = parent_names["schema_name"]
                parent_names["schema_qualified_table_name"] = (
                    f"{schema}.{table_name}" if schema else table_name
                )
        return all(fn(name, type_, parent_names) for fn in self._name_filters)

    def run_object_filters(self, object_: Any, name: str | None, type_: str,
                           reflected: bool, compare_to: Any) -> bool:
        """Whether every ``include_object`` hook accepts ``object_``."""
        return all(fn(object_, name, type_, reflected, compare_to)
                   for fn in self._object_filters)

    run_filters = run_object_filters

    @contextlib.contextmanager
    def _within_batch(self) -> Iterator[None]:
        self._has_batch = True
        try:
            yield
        finally:
            self._has_batch = False


def _comparators(opts: dict[str, Any]) -> Any:
    """The global comparators plus those of the plugins ``autogenerate_plugins`` selects."""
    from . import builtin_plugins  # noqa: F401  (sets up the built-in plugins)
    from .compare import comparators
    from .plugins import Plugin, setup_entry_point_plugins

    setup_entry_point_plugins()
    branch = comparators.branch()
    Plugin.populate_autogenerate_priority_dispatch(
        branch, include_plugins=list(opts.get("autogenerate_plugins")
                                     or ["alembic.autogenerate.*"]))
    return branch


def metadata_list(md: Any) -> Sequence[Any]:
    if md is None:
        return []
    return list(md) if isinstance(md, (list, tuple)) else [md]
