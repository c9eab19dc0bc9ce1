import configparser
import os
import sys
from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool

from alembic_django import context
from alembic_django.engine.errors import CommandError
from alembic_django.engine.util.metadata import resolve_target_metadata

# this is the Alembic Config object.  Under Django (``manage.py alembic``) it
# is built from settings.ALEMBIC, and its "sqlalchemy.url" option holds the URL
# of the Django database this environment migrates (from settings.DATABASES).
# Run without Django, it reads the alembic.ini next to this directory.
config = context.config


def _has_logging_config(path) -> bool:
    """True when ``path`` is an existing ini file with a [loggers] section."""
    if path is None or not os.path.exists(path):
        return False
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        return False
    return parser.has_section("loggers")


def _under_django() -> bool:
    """True when Django settings are configured (``manage.py alembic``)."""
    conf = sys.modules.get("django.conf")
    return conf is not None and conf.settings.configured


# Interpret the config file for Python logging -- only when run without Django:
# under Django, settings.LOGGING (and ``manage.py alembic -v``) is in charge.
if not _under_django() and _has_logging_config(config.config_file_name):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _option(name):
    getter = getattr(config, "get_alembic_option", None) or config.get_main_option
    return getter(name)


def _target_metadata():
    value = config.attributes.get("target_metadata")
    if value is None:
        value = _option("target_metadata")
    return resolve_target_metadata(value)


target_metadata = _target_metadata()

# extra keyword arguments for context.configure(): the version_table /
# version_table_schema options (e.g. one version table per environment in
# settings.ALEMBIC), then whatever the caller passes in
# config.attributes["context_options"] (e.g. include_object).
context_options = {
    key: _option(key) for key in ("version_table", "version_table_schema") if _option(key)
}
context_options.update(config.attributes.get("context_options") or {})


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise CommandError(
            "sqlalchemy.url is not set: run through 'manage.py alembic' so it is "
            "built from settings.DATABASES, or set it in alembic.ini"
        )
    return url


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode (``--sql``): no DBAPI connection,
    the SQL is written to the script output.
    """
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **context_options,
    )

    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection) -> None:
    options = dict(context_options)
    # SQLite can ALTER almost nothing in place: autogenerate renders batch
    # operations there ("with op.batch_alter_table(...)"), which copy the table
    options.setdefault("render_as_batch", connection.dialect.name == "sqlite")
    context.configure(
        connection=connection, target_metadata=target_metadata, **options
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode.

    A connection passed in config.attributes["connection"] is used as is;
    otherwise an Engine is created for the configured URL (plus any other
    ``sqlalchemy.*`` options of the main section).
    """
    connectable = config.attributes.get("connection")
    if connectable is not None:
        do_run_migrations(connectable)
        return

    options = dict(config.get_section(config.config_ini_section, {}) or {})
    options["sqlalchemy.url"] = _url()
    connectable = engine_from_config(
        options,
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
