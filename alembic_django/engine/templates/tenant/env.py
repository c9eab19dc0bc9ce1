import configparser
import os
import re
from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic_django import context
from alembic_django.engine.errors import CommandError

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
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


# Interpret the config file for Python logging -- not for each target of a fleet run
# (the fleet reports progress itself; set up logging once in your own code if needed).
if "alembic_django.fleet.target" not in config.attributes and _has_logging_config(
    config.config_file_name
):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# add your model's MetaData object here, with tables that have no schema:
# every tenant gets the same tables in its own schema.
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
target_metadata = None


def current_tenant() -> str:
    """The tenant schema this run migrates: ``-x tenant=NAME``."""
    tenant = context.get_x_argument(as_dictionary=True).get("tenant")
    if not tenant:
        raise CommandError(
            "This environment migrates one tenant schema per run: pass -x tenant=NAME, "
            "or run 'alembic-django fleet upgrade heads --tenants a,b,c'"
        )
    if not re.match(r"^[A-Za-z_][\w$]*$", tenant):
        raise CommandError(f"-x tenant={tenant!r} is not a plain schema name")
    return tenant


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode: the SQL for one tenant, ``SET search_path``
    first."""
    tenant = current_tenant()
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        version_table_schema=tenant,
    )

    with context.begin_transaction():
        context.execute(f'SET search_path TO "{tenant}"')
        context.run_migrations()


def do_run_migrations(connection, tenant) -> None:
    # the schema (created under a lock: two runs may create it at once), then the
    # search_path: one round trip, then committed
    connection.exec_driver_sql(
        f"SELECT pg_advisory_xact_lock(hashtext('alembic_django.schema:{tenant}')); "
        f'CREATE SCHEMA IF NOT EXISTS "{tenant}"; SET search_path TO "{tenant}"'
    )
    connection.commit()
    # reflection (autogenerate) treats the tenant's schema as the default one; the
    # dialect belongs to this run's engine (the fleet lends each thread its own)
    connection.dialect.default_schema_name = tenant

    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=tenant,
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode for one tenant schema.

    A connection passed in config.attributes["connection"] (``alembic-django
    fleet`` lends a pooled one) is used as is; otherwise an Engine is created from
    the config for this run.
    """
    tenant = current_tenant()
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection, tenant)
        return

    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        do_run_migrations(connection, tenant)
    connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
