"""Django's test databases and the Alembic tables in them.

* **Which databases are test databases.**  The names Django gives them while this
  process creates (``create_test_db``) or clones (``setup_worker_connection``) them are
  recorded on the app config; :func:`is_test_database` compares the alias's live
  ``NAME`` with that record.  Helpers that migrate in tests refuse anything else
  (:func:`require_test_database`).
* **Flushing.**  ``TransactionTestCase`` (and pytest-django's ``transactional_db``)
  empty a test database with ``call_command("flush")`` after each test.  The app's
  ``flush`` command adds the Alembic-managed tables to the tables Django empties, in
  the same statement list, so foreign keys in either direction are respected.  Version
  tables are never emptied.
* **Serialized rollback.**  ``serialize_db_to_string`` / ``deserialize_db_from_string``
  also carry the rows of those tables, so ``serialized_rollback = True`` restores what
  the revisions inserted, as Django restores what its data migrations inserted.

"Alembic-managed tables" of a test database: every table in it, on an alias that at
least one ``settings.ALEMBIC`` environment migrates, except the tables of Django's
managed models, ``django_migrations``, the database cache tables, the environments'
version tables and (PostgreSQL) tables owned by an extension.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import pickle
from collections.abc import Iterator
from typing import Any

from .engine.errors import CommandError

APP_LABEL = "alembic_django"
_FORMAT = "alembic_django.serialized.v1"


class NotATestDatabase(CommandError):
    """A test helper was asked to migrate a database that is not a Django test database."""


# -- which databases are test databases ----------------------------------------------------
def _registry() -> dict[str, str] | None:
    """alias -> test database NAME, on the app config (None when the app is not installed)."""
    from django.apps import apps

    try:
        app_config = apps.get_app_config(APP_LABEL)
    except LookupError:
        return None
    return app_config.test_databases


def _record(alias: str, name: Any) -> None:
    registry = _registry()
    if registry is not None:
        registry[alias] = _text(name)


def _text(name: Any) -> str:
    return os.fspath(name) if isinstance(name, os.PathLike) else str(name)


def is_test_database(alias: str) -> bool:
    """True when ``DATABASES[alias]`` currently points at a database Django created (or
    cloned) for tests in this process, or at an in-memory SQLite database."""
    from . import conf

    settings_dict = conf._settings_dict(alias)
    if conf.vendor_of(settings_dict) == "sqlite" and conf.is_in_memory_sqlite(settings_dict):
        return True
    recorded = (_registry() or {}).get(alias)
    return recorded is not None and recorded == _text(settings_dict.get("NAME"))


def require_test_database(alias: str, what: str) -> None:
    """Raise :class:`NotATestDatabase` unless ``alias`` is a test database right now."""
    from . import conf

    if _registry() is None:
        raise NotATestDatabase(
            f"{what}: 'alembic_django' is not in INSTALLED_APPS, so its test databases "
            "cannot be recognised (add it, or give an explicit test URL)"
        )
    if not is_test_database(alias):
        name = _text(conf._settings_dict(alias).get("NAME"))
        raise NotATestDatabase(
            f"{what}: DATABASES[{alias!r}] ({name!r}) is not a test database; migrations in "
            "tests only run on the databases Django's test runner or pytest-django creates"
        )


def _creation_classes() -> list[type]:
    """BaseDatabaseCreation and the creation classes of the configured backends (which
    may override the methods wrapped here, as SQLite's ``setup_worker_connection`` does)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections
    from django.db.backends.base.creation import BaseDatabaseCreation

    classes: list[type] = [BaseDatabaseCreation]
    for alias in connections:
        try:
            cls = type(connections[alias].creation)
        except (ImproperlyConfigured, ImportError):  # reported when the alias is used
            continue
        if cls not in classes:
            classes.append(cls)
    return classes


def install_hooks() -> None:
    """Wrap Django's test-database creation, worker cloning and (de)serialisation once
    (on the base class and wherever a backend overrides them)."""

    def wrap(name: str, make: Any) -> None:
        for cls in _creation_classes():
            original = cls.__dict__.get(name)
            if original is None or getattr(original, "_alembic_django", False):
                continue
            wrapper = functools.wraps(original)(make(original))
            wrapper._alembic_django = True
            setattr(cls, name, wrapper)

    def create_test_db(original: Any) -> Any:
        def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            # the name Django is about to give the database (it computes it the same way)
            _record(self.connection.alias, self._get_test_db_name())
            from .apps import creating_test_db

            with creating_test_db(self.connection.alias):
                name = original(self, *args, **kwargs)
            _record(self.connection.alias, self.connection.settings_dict["NAME"])
            return name
        return inner

    def setup_worker_connection(original: Any) -> Any:
        def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            _record(self.connection.alias, self.connection.settings_dict["NAME"])
            return result
        return inner

    def serialize(original: Any) -> Any:
        def inner(self: Any) -> str:
            return dump(self.connection, original(self))
        return inner

    def deserialize(original: Any) -> Any:
        def inner(self: Any, data: str) -> Any:
            return load(self.connection, data, lambda django_data: original(self, django_data))
        return inner

    wrap("create_test_db", create_test_db)
    wrap("setup_worker_connection", setup_worker_connection)
    wrap("serialize_db_to_string", serialize)
    wrap("deserialize_db_from_string", deserialize)


# -- the Alembic-managed tables ---------------------------------------------------------------
def _excluded_tables(connection: Any) -> set[str]:
    """Tables that are not Alembic's: managed models (every app, also outside
    ``available_apps``), ``django_migrations``, cache tables, version tables."""
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.recorder import MigrationRecorder

    from . import conf

    names = {MigrationRecorder.Migration._meta.db_table}
    for models in apps.all_models.values():
        for model in models.values():
            if model._meta.managed and not model._meta.proxy:
                names.add(model._meta.db_table)
    for cache in getattr(settings, "CACHES", {}).values():
        if cache.get("BACKEND", "").endswith("DatabaseCache") and cache.get("LOCATION"):
            names.add(cache["LOCATION"])
    for name in conf.environments_for_alias(connection.alias):
        config = conf.get_config(name, resolve_url=False)
        names.add(config.get_main_option("version_table") or "alembic_version")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_depend d JOIN pg_class c ON c.oid = d.objid "
                "WHERE d.deptype = 'e' AND d.classid = 'pg_class'::regclass"
            )
            names.update(row[0] for row in cursor.fetchall())
    return {connection.introspection.identifier_converter(n) for n in names}


def alembic_tables(connection: Any) -> list[str]:
    """The Alembic-managed tables of ``connection``'s test database, referencing tables
    before the tables they reference (the order to empty them in); ``[]`` when the alias
    is not a test database or no environment migrates it."""
    from . import conf

    alias = connection.alias
    if getattr(conf._settings(), "ALEMBIC", None) is None or not conf.environments_for_alias(alias):
        return []
    if not is_test_database(alias):
        return []
    excluded = _excluded_tables(connection)
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor, include_views=False)
        ours = [t for t in existing if t not in excluded]
        references = {t: {ref for _col, (_rcol, ref) in
                          connection.introspection.get_relations(cursor, t).items()}
                      for t in ours}
    return _referencing_first(ours, references)


def _referencing_first(tables: list[str], references: dict[str, set[str]]) -> list[str]:
    """Order ``tables`` so that a table comes before every table it references (a cycle
    leaves the alphabetical order: the flush then relies on deferred checks)."""
    import graphlib

    referenced_by: dict[str, set[str]] = {t: set() for t in tables}
    for table in tables:
        for ref in references.get(table, ()):
            if ref in referenced_by and ref != table:
                referenced_by[ref].add(table)
    try:
        return list(graphlib.TopologicalSorter(
            {t: sorted(referenced_by[t]) for t in sorted(tables)}).static_order())
    except graphlib.CycleError:
        return sorted(tables)


# -- flush ---------------------------------------------------------------------------------------
@contextlib.contextmanager
def flushing_alembic_tables(connection: Any) -> Iterator[list[str]]:
    """For the duration, Django's ``flush`` on ``connection`` also empties the
    Alembic-managed tables (they are added to ``django_table_names()``, first, and on
    SQLite foreign keys are checked only at commit)."""
    extra = alembic_tables(connection)
    if not extra:
        yield []
        return
    introspection, ops = connection.introspection, connection.ops
    original_names, original_flush = introspection.django_table_names, ops.sql_flush

    def django_table_names(*args: Any, **kwargs: Any) -> list[str]:
        names = original_names(*args, **kwargs)
        return extra + [n for n in names if n not in extra]

    def sql_flush(style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = original_flush(style, tables, **kwargs)
        if statements and connection.vendor == "sqlite":
            return ["PRAGMA defer_foreign_keys = ON", *statements]
        return statements

    introspection.django_table_names = django_table_names
    ops.sql_flush = sql_flush
    try:
        yield extra
    finally:
        del introspection.django_table_names
        del ops.sql_flush


# -- serialized rollback ----------------------------------------------------------------------------
def dump(connection: Any, django_data: str) -> str:
    """Django's serialized data plus the rows of the Alembic-managed tables."""
    if django_data.startswith('{"format": "' + _FORMAT):
        return django_data  # a backend's override that calls the base class: done once
    tables = alembic_tables(connection)
    if not tables:
        return django_data
    rows = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [d[0] for d in cursor.description]
            rows[table] = (columns, [tuple(r) for r in cursor.fetchall()])
    payload = base64.b64encode(pickle.dumps((tables, rows))).decode("ascii")
    return json.dumps({"format": _FORMAT, "django": django_data, "alembic": payload})


def load(connection: Any, data: str, load_django: Any) -> Any:
    """Restore what :func:`dump` wrote: the Alembic tables get exactly their serialized
    rows back, Django's data is loaded by Django (in between, so foreign keys from
    either side find their rows)."""
    if not data.startswith('{"format": "' + _FORMAT):
        return load_django(data)
    from django.db import transaction

    document = json.loads(data)
    tables, rows = pickle.loads(base64.b64decode(document["alembic"]))  # our own process's data
    quote = connection.ops.quote_name
    refers_out = _referencing_django(connection, tables)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            with connection.constraint_checks_disabled():
                for table in tables:  # referencing tables first
                    cursor.execute(f"DELETE FROM {quote(table)}")

                def insert(table: str) -> None:
                    columns, values = rows[table]
                    if not values:
                        return
                    cols = ", ".join(quote(c) for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})",
                                       values)

                parents_first = list(reversed(tables))
                for table in parents_first:
                    if table not in refers_out:
                        insert(table)
                result = load_django(document["django"])
                for table in parents_first:
                    if table in refers_out:
                        insert(table)
    return result


def _referencing_django(connection: Any, tables: list[str]) -> set[str]:
    """The tables among ``tables`` that reference (directly or through each other) a
    table outside them: restored after Django's rows."""
    with connection.cursor() as cursor:
        refs = {t: {ref for _c, (_r, ref) in connection.introspection.get_relations(cursor, t).items()}
                for t in tables}
    mine = set(tables)
    out = {t for t in tables if refs[t] - mine}
    changed = True
    while changed:
        changed = False
        for t in tables:
            if t not in out and refs[t] & out:
                out.add(t)
                changed = True
    return out
