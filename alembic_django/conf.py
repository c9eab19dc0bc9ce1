"""Django settings → engine configuration.

``settings.ALEMBIC`` maps environment names to dicts of config keys in Python types::

    ALEMBIC = {
        "default": {"script_location": BASE_DIR / "alembic", "database": "default",
                    "target_metadata": "inventory.tables:metadata"},
        "analytics": {"script_location": BASE_DIR / "analytics_migrations",
                      "database": "analytics"},
    }

Each entry becomes the *mapping* source of a :class:`~alembic_django.engine.config.Config`
(mapping → alembic.ini → pyproject.toml → defaults).  ``database`` names a ``DATABASES``
alias (default ``"default"``); its SQLAlchemy URL is built from Django's live
``connections[alias].settings_dict`` each time a command runs, never at import or in
``ready()`` (the test runner renames databases).  An explicit ``sqlalchemy.url`` key wins.

Other settings: ``ALEMBIC_CONFIG`` (path of an alembic.ini or pyproject.toml; default:
``BASE_DIR/alembic.ini`` and ``BASE_DIR/pyproject.toml`` when they exist) and
``ALEMBIC_TEST_UPGRADE`` (default True: upgrade test databases to heads).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TextIO

from .engine.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import URL, Engine

    from .engine.config import Config

#: keys of an ALEMBIC entry that belong to the Django layer, not to the engine
DJANGO_KEYS = ("database", "target_metadata")

ATTR_ENVIRONMENT = "alembic_django.environment"
ATTR_DATABASE = "alembic_django.database"
ATTR_PROGRESS = "alembic_django.progress"

#: OPTIONS keys Django consumes itself, per vendor; never passed to the driver
DJANGO_ONLY_OPTIONS = {
    "postgresql": {"isolation_level", "pool", "server_side_binding", "assume_role"},
    "mysql": {"isolation_level"},
    "sqlite": {"init_command", "transaction_mode", "check_same_thread", "uri"},
    "oracle": {"use_returning_into", "pool", "threaded"},
}

ENGINE_VENDORS = {
    "django.db.backends.postgresql": "postgresql",
    "django.db.backends.postgresql_psycopg2": "postgresql",
    "django.contrib.gis.db.backends.postgis": "postgresql",
    "django.db.backends.mysql": "mysql",
    "django.contrib.gis.db.backends.mysql": "mysql",
    "django.db.backends.sqlite3": "sqlite",
    "django.contrib.gis.db.backends.spatialite": "sqlite",
    "django.db.backends.oracle": "oracle",
    "django.contrib.gis.db.backends.oracle": "oracle",
}


# -- settings ----------------------------------------------------------------------
def _settings():
    from django.conf import settings

    return settings


def base_dir() -> Path | None:
    value = getattr(_settings(), "BASE_DIR", None)
    return Path(value) if value is not None else None


def environments() -> dict[str, dict[str, Any]]:
    """``settings.ALEMBIC`` validated: name → env dict (``{"default": {}}`` when unset)."""
    raw = getattr(_settings(), "ALEMBIC", None)
    if raw is None:
        return {"default": {}}
    problems = validate(raw)
    if problems:
        raise ConfigError(problems[0])
    return {name: dict(env) for name, env in raw.items()}


def validate(raw: Any) -> list[str]:
    """One-line problems with an ALEMBIC value (empty when well formed)."""
    if not isinstance(raw, dict):
        return [f"settings.ALEMBIC must be a dict of environment name -> dict, not {type(raw).__name__}"]
    if not raw:
        return ["settings.ALEMBIC is empty; give at least one environment"]
    problems = []
    for name, env in raw.items():
        if not isinstance(name, str) or not name:
            problems.append(f"settings.ALEMBIC: environment name {name!r} must be a non-empty string")
        elif not isinstance(env, dict):
            problems.append(f"settings.ALEMBIC[{name!r}] must be a dict, not {type(env).__name__}")
        else:
            for key in env:
                if not isinstance(key, str):
                    problems.append(f"settings.ALEMBIC[{name!r}]: key {key!r} must be a string")
            database = env.get("database", "default")
            if not isinstance(database, str):
                problems.append(f"settings.ALEMBIC[{name!r}]['database'] must be a DATABASES alias string")
            metadata = env.get("target_metadata")
            if metadata is not None and isinstance(metadata, str) and ":" not in metadata:
                problems.append(
                    f"settings.ALEMBIC[{name!r}]['target_metadata'] must be 'module:attribute', "
                    f"a callable or a MetaData, not {metadata!r}"
                )
    return problems


def default_environment_name(envs: dict[str, Any] | None = None) -> str:
    envs = environments() if envs is None else envs
    if len(envs) == 1:
        return next(iter(envs))
    if "default" in envs:
        return "default"
    raise ConfigError(
        f"settings.ALEMBIC has several environments ({', '.join(envs)}) and none is "
        "named 'default'; choose one with --name"
    )


def environment(name: str | None = None) -> tuple[str, dict[str, Any]]:
    envs = environments()
    name = name or default_environment_name(envs)
    if name not in envs:
        raise ConfigError(
            f"No environment {name!r} in settings.ALEMBIC (known: {', '.join(envs)})"
        )
    return name, envs[name]


def environments_for_alias(alias: str) -> list[str]:
    """Names of the environments whose ``database`` is ``alias``."""
    return [n for n, env in environments().items() if env.get("database", "default") == alias]


def config_files() -> tuple[str | None, str | None]:
    """The (ini, pyproject) files the Django configuration layers over, if any."""
    explicit = getattr(_settings(), "ALEMBIC_CONFIG", None)
    if explicit:
        path = Path(explicit)
        if not path.is_absolute() and base_dir() is not None:
            path = base_dir() / path
        if not path.exists():
            raise ConfigError(f"settings.ALEMBIC_CONFIG: no such file {os.fspath(path)!r}")
        if path.name == "pyproject.toml":
            return None, os.fspath(path)
        return os.fspath(path), None
    root = base_dir()
    if root is None:
        return None, None
    ini, toml = root / "alembic.ini", root / "pyproject.toml"
    return (os.fspath(ini) if ini.exists() else None, os.fspath(toml) if toml.exists() else None)


# -- DATABASES → SQLAlchemy URL --------------------------------------------------------
def vendor_of(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict.get("ENGINE") or ""
    if engine in ENGINE_VENDORS:
        return ENGINE_VENDORS[engine]
    for vendor in ("postgresql", "postgis", "mysql", "sqlite3", "spatialite", "oracle"):
        if engine.endswith("." + vendor):
            return {"postgis": "postgresql", "sqlite3": "sqlite", "spatialite": "sqlite"}.get(vendor, vendor)
    raise ConfigError(
        f"DATABASES ENGINE {engine!r} cannot be mapped to a SQLAlchemy URL; "
        "set 'sqlalchemy.url' in the settings.ALEMBIC environment"
    )


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def _split_options(options: dict[str, Any], vendor: str) -> tuple[dict[str, str], dict[str, Any]]:
    """OPTIONS → (URL query of scalars, connect_args of everything else); Django-only keys dropped."""
    query: dict[str, str] = {}
    connect_args: dict[str, Any] = {}
    for key, value in (options or {}).items():
        if key in DJANGO_ONLY_OPTIONS.get(vendor, ()):
            continue
        if isinstance(value, bool):
            connect_args[key] = value
        elif isinstance(value, (str, int, float, PurePath)):
            query[key] = os.fspath(value) if isinstance(value, PurePath) else str(value)
        else:
            connect_args[key] = value
    return query, connect_args


def _port(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


def is_in_memory_sqlite(settings_dict: dict[str, Any]) -> bool:
    name = settings_dict.get("NAME")
    if vendor_of(settings_dict) != "sqlite" or name is None:
        return False
    text = os.fspath(name) if isinstance(name, PurePath) else str(name)
    return text == ":memory:" or text == "" or "mode=memory" in text


def url_from_settings(settings_dict: dict[str, Any]) -> tuple[URL, dict[str, Any]]:
    """A Django ``DATABASES`` entry → (SQLAlchemy URL, connect_args)."""
    from sqlalchemy.engine import URL

    vendor = vendor_of(settings_dict)
    options = dict(settings_dict.get("OPTIONS") or {})
    user = settings_dict.get("USER") or None
    password = settings_dict.get("PASSWORD") or None
    host = settings_dict.get("HOST") or None
    port = _port(settings_dict.get("PORT"))
    name = settings_dict.get("NAME")
    if vendor == "sqlite":
        return _sqlite_url(name, options)
    query, connect_args = _split_options(options, vendor)
    if vendor == "postgresql":
        driver = "postgresql+psycopg" if _importable("psycopg") else "postgresql+psycopg2"
        if host and host.startswith("/"):
            query["host"] = host
            host = None
        database = name or None
        if name is None and "service" not in options:
            database = "postgres"
    elif vendor == "mysql":
        driver = "mysql+mysqldb" if _importable("MySQLdb") else "mysql+pymysql"
        if host and host.startswith("/"):
            query["unix_socket"] = host
            host = None
        query.setdefault("charset", "utf8mb4")
        database = name or None
    else:  # oracle
        driver = "oracle+oracledb" if _importable("oracledb") or not _importable("cx_Oracle") else "oracle+cx_oracle"
        if port:
            host, database = (host or "localhost"), name or None
        else:  # NAME is a TNS alias or an easy-connect string ("host:1521/service"),
            # which the driver takes as its dsn (as Django passes it)
            host, database = None, None
            text = str(name or "")
            if text and any(ch in text for ch in ":/()= "):
                connect_args["dsn"] = text
            else:
                host = text or None  # a TNS alias: SQLAlchemy's own form
    url = URL.create(
        driver, username=user, password=password, host=host, port=port,
        database=database, query=query,
    )
    return url, connect_args


def _sqlite_url(name: Any, options: dict[str, Any]) -> tuple[URL, dict[str, Any]]:
    from sqlalchemy.engine import URL

    query, connect_args = _split_options(options, "sqlite")
    if name is None or name == "":
        raise ConfigError("sqlite DATABASES entry has no NAME")
    text = os.fspath(name) if isinstance(name, PurePath) else str(name)
    if text == ":memory:":
        return URL.create("sqlite", query=query), connect_args
    if text.startswith("file:"):  # a URI (Django connects with uri=True)
        path, _, rest = text.partition("?")
        for pair in filter(None, rest.split("&")):
            key, _, value = pair.partition("=")
            query[key] = value
        query["uri"] = "true"
        return URL.create("sqlite", database=path, query=query), connect_args
    return URL.create("sqlite", database=text, query=query), connect_args


def _settings_dict(alias: str) -> dict[str, Any]:
    """Django's live settings for ``alias`` (renamed by the test runner, read now).

    The backend module is not needed to build a URL (e.g. mysqlclient may be
    missing while PyMySQL is installed), so a backend that cannot load falls back to
    the configured dict, which is the same object the connection would hold.
    """
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections

    if alias not in connections.settings:
        raise ConfigError(f"Unknown database alias {alias!r}: it is not in settings.DATABASES")
    try:
        return connections[alias].settings_dict
    except (ImproperlyConfigured, ImportError):
        return connections.settings[alias]


def database_url(alias: str = "default") -> URL:
    """The SQLAlchemy URL of Django's ``DATABASES[alias]`` as configured right now."""
    return url_from_settings(_settings_dict(alias))[0]


def connect_args(alias: str = "default") -> dict[str, Any]:
    return url_from_settings(_settings_dict(alias))[1]


class _BorrowedConnection:
    """Django's live DBAPI connection, lent to SQLAlchemy: closing it is a no-op."""

    def __init__(self, raw: Any) -> None:
        object.__setattr__(self, "_raw", raw)

    def close(self) -> None:  # Django owns the connection
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._raw, name, value)


def create_engine(alias: str = "default", **kwargs: Any) -> Engine:
    """A SQLAlchemy Engine on ``DATABASES[alias]``.

    For an in-memory SQLite database (``:memory:`` or Django's shared-cache test
    database) the engine borrows Django's own connection, so both see one database.
    """
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool, StaticPool

    settings_dict = _settings_dict(alias)
    url, extra = url_from_settings(settings_dict)
    if is_in_memory_sqlite(settings_dict):
        from django.db import connections

        wrapper = connections[alias]
        wrapper.ensure_connection()
        raw = wrapper.connection
        return sa.create_engine(
            "sqlite://", creator=lambda: _BorrowedConnection(raw), poolclass=StaticPool,
            pool_reset_on_return=None, **kwargs,
        )
    kwargs.setdefault("poolclass", NullPool)
    return sa.create_engine(url, connect_args=extra, **kwargs)


def engine_from_config(config: Config, **kwargs: Any) -> Engine:
    """The engine for a Config made by :func:`get_config` (``sqlalchemy.url`` if set explicitly)."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    alias = config.attributes.get(ATTR_DATABASE)
    explicit = config.attributes.get("alembic_django.explicit_url")
    if alias is None or explicit:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise ConfigError("No sqlalchemy.url and no Django database alias for this environment")
        kwargs.setdefault("poolclass", NullPool)
        return sa.create_engine(url, **kwargs)
    return create_engine(alias, **kwargs)


# -- Config -------------------------------------------------------------------------------
def _path_value(value: Any) -> Any:
    root = base_dir()

    def one(v: Any) -> Any:
        if isinstance(v, (str, PurePath)):
            text = os.fspath(v)
            package, sep, _ = text.partition(":")
            if sep and not isinstance(v, PurePath) and len(package) > 1 and not os.path.isabs(text):
                return text  # "package:resource"
            if root is not None and not os.path.isabs(text) and "%(" not in text:
                return os.fspath(root / text)
            return text
        return v

    if isinstance(value, (list, tuple)):
        return [one(v) for v in value]
    return one(value)


def get_config(
    name: str | None = None,
    database: str | None = None,
    stdout: TextIO | None = None,
    cmd_opts: Any = None,
    attributes: dict[str, Any] | None = None,
    resolve_url: bool = True,
) -> Config:
    """The :class:`Config` of environment ``name`` (default environment when None).

    ``database`` overrides the environment's DATABASES alias (and then its URL wins
    over an explicit ``sqlalchemy.url``).  ``resolve_url=False`` skips the
    DATABASES lookup (for commands and checks that never connect).
    """
    from .engine.config import Config

    explicit_alembic = getattr(_settings(), "ALEMBIC", None) is not None
    name, env = environment(name)
    alias = database or env.get("database", "default")
    ini, toml = config_files()
    if not explicit_alembic and ini is None and toml is None:
        raise ConfigError(
            "settings.ALEMBIC is not set and there is no alembic.ini or pyproject.toml "
            "in BASE_DIR (or settings.ALEMBIC_CONFIG)"
        )
    mapping: dict[str, Any] = {}
    for key, value in env.items():
        if key == "target_metadata" and not isinstance(value, str):
            attributes = {**(attributes or {}), "target_metadata": value}
            continue
        if key in ("script_location", "version_locations", "prepend_sys_path"):
            value = _path_value(value)
        elif isinstance(value, PurePath):
            value = os.fspath(value)
        mapping[key] = value
    mapping["database"] = alias
    where = f"settings.ALEMBIC[{name!r}]"
    origins = {"database": "--database" if database else (where if "database" in env
                                                          else "default")}
    explicit_url = "sqlalchemy.url" in env and database is None
    if not explicit_url and resolve_url:
        from django.db import connections

        if alias not in connections.settings:
            raise ConfigError(
                f"settings.ALEMBIC[{name!r}]: unknown database alias {alias!r} "
                "(not in settings.DATABASES)"
            )
        url = database_url(alias)
        mapping["sqlalchemy.url"] = url.render_as_string(hide_password=False)
        origins["sqlalchemy.url"] = f"settings.DATABASES[{alias!r}]"
    ini_section = "alembic"
    if ini is not None:
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        parser.read([ini], encoding="utf-8")
        if parser.has_section(name):
            ini_section = name
    attrs = dict(attributes or {})
    attrs["context_options"] = _with_django_tables_excluded(attrs.get("context_options"))
    attrs.setdefault(ATTR_ENVIRONMENT, name)
    attrs.setdefault(ATTR_DATABASE, alias)
    if explicit_url:
        attrs["alembic_django.explicit_url"] = True
    return Config(
        file_=ini, toml_file=toml, ini_section=ini_section,
        stdout=stdout if stdout is not None else sys.stdout, cmd_opts=cmd_opts,
        attributes=attrs, mapping=mapping, mapping_origin=where, mapping_origins=origins,
    )


def django_table_names() -> set[str]:
    """Tables Django owns: every installed model's (with auto-created m2m tables) and
    ``django_migrations``."""
    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder

    names = {MigrationRecorder.Migration._meta.db_table}
    for model in apps.get_models(include_auto_created=True):
        names.add(model._meta.db_table)
    return names


def _with_django_tables_excluded(options: Any) -> dict[str, Any]:
    """``context_options`` whose ``include_object`` leaves Django's own tables out of
    autogenerate, so ``revision --autogenerate`` and ``check`` never propose dropping
    ``auth_user`` & co. (they are in the database but not in ``target_metadata``).
    A table that *is* in the metadata is compared as usual; a caller's own
    ``include_object`` still decides everything else."""
    options = dict(options or {})
    user_hook = options.get("include_object")
    if getattr(user_hook, "_alembic_django_excludes_django_tables", False):
        return options
    cache: dict[str, set[str]] = {}

    def include_object(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table" and reflected and compare_to is None:
            if "tables" not in cache:
                cache["tables"] = django_table_names()
            if name in cache["tables"]:
                return False
        return True if user_hook is None else user_hook(obj, name, type_, reflected, compare_to)

    include_object._alembic_django_excludes_django_tables = True  # type: ignore[attr-defined]
    options["include_object"] = include_object
    return options


def _password_of(alias: str | None) -> str | None:
    if alias is None:
        return None
    try:
        password = _settings_dict(alias).get("PASSWORD")
    except ConfigError:  # an unknown alias has no password to hide
        return None
    return str(password) if password else None


def redact(text: str, alias: str | None) -> str:
    """``text`` masked (:func:`~alembic_django.engine.config.mask_password`), the password
    of DATABASES[alias] (if any) hidden in every spelling too."""
    from .engine.config import mask_password

    return mask_password(text, [_password_of(alias)])


def one_line_error(exc: BaseException, alias: str | None = None) -> str:
    """A driver / SQLAlchemy error as one line (no "Background on this error" link, no
    statement parameters), masked, with the database password hidden."""
    from .engine.util.masking import error_line

    return error_line(exc, [_password_of(alias)])


@contextlib.contextmanager
def connected(config: Config) -> Iterator[Config]:
    """Lend a shared connection to ``config`` when the database needs one.

    An in-memory SQLite database exists only inside Django's connection, and
    OPTIONS that are not strings (e.g. MySQL's ``ssl`` dict) cannot travel in a
    URL, so in those cases env.py gets a connection through
    ``config.attributes["connection"]``.  Otherwise nothing is opened here and
    env.py connects with ``sqlalchemy.url``.
    """
    alias = config.attributes.get(ATTR_DATABASE)
    if (
        alias is None
        or config.attributes.get("alembic_django.explicit_url")
        or "connection" in config.attributes
        or not needs_shared_connection(alias)
    ):
        yield config
        return
    engine = create_engine(alias)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            try:
                yield config
            finally:
                config.attributes.pop("connection", None)
                if connection.in_transaction():
                    connection.commit()
    finally:
        if not is_in_memory_sqlite(_settings_dict(alias)):
            engine.dispose()


def needs_shared_connection(alias: str) -> bool:
    settings_dict = _settings_dict(alias)
    return is_in_memory_sqlite(settings_dict) or bool(url_from_settings(settings_dict)[1])


def get_target_metadata(config: Config | None = None, name: str | None = None) -> Any:
    """The environment's ``target_metadata``: ``"module:attribute"``, a callable or a value."""
    if config is not None and name is None:
        name = config.attributes.get(ATTR_ENVIRONMENT)
    _, env = environment(name)
    value = env.get("target_metadata")
    from .engine.util.metadata import resolve_target_metadata

    return resolve_target_metadata(value)
