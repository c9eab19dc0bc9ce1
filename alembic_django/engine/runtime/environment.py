"""``EnvironmentContext``: what env.py's ``context`` is while a command runs it."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from ..errors import CommandError

#: the environments entered in this context (thread, task), innermost last: each
#: thread of a fleet run sees only its own, so ``context`` in env.py is per run
_running: ContextVar[tuple[EnvironmentContext, ...]] = ContextVar(
    "alembic_django_environment", default=())


def current_environment() -> EnvironmentContext:
    running = _running.get()
    if not running:
        raise CommandError(
            "alembic_django.context is only usable while a command runs env.py "
            "(no EnvironmentContext is active)"
        )
    return running[-1]


class EnvironmentContext:
    """The env.py protocol: ``configure``, ``run_migrations``, ``begin_transaction`` …"""

    _migration_context: Any = None

    def __init__(self, config: Any, script: Any, **kw: Any) -> None:
        self.config = config
        self.script = script
        self.context_opts = kw

    def __enter__(self) -> EnvironmentContext:
        _running.set(_running.get() + (self,))
        return self

    def __exit__(self, *exc: Any) -> None:
        running = _running.get()
        _running.set(tuple(env for env in running if env is not self))

    # -- queries ---------------------------------------------------------------------
    def is_offline_mode(self) -> bool:
        return bool(self.context_opts.get("as_sql", False))

    def is_transactional_ddl(self) -> bool:
        return bool(self.get_context().impl.transactional_ddl)

    def requires_connection(self) -> bool:
        return not self.is_offline_mode()

    def get_head_revision(self) -> str | None:
        return self.script.as_revision_number("head")

    def get_head_revisions(self) -> Any:
        return self.script.as_revision_number("heads")

    def get_starting_revision_argument(self) -> Any:
        if self._migration_context is not None:
            return self.script.as_revision_number(self.get_context()._start_from_rev)
        if "starting_rev" in self.context_opts:
            return self.script.as_revision_number(self.context_opts["starting_rev"])
        raise CommandError("No starting revision argument is available.")

    def get_revision_argument(self) -> Any:
        return self.script.as_revision_number(self.context_opts.get("destination_rev"))

    def get_tag_argument(self) -> str | None:
        return self.context_opts.get("tag")

    def get_x_argument(self, as_dictionary: bool = False) -> Any:
        cmd_opts = self.config.cmd_opts
        value = (getattr(cmd_opts, "x", None) or []) if cmd_opts is not None else []
        if as_dictionary:
            out = {}
            for arg in value:
                key, sep, val = arg.partition("=")
                out[key] = val if sep else ""
            return out
        return value

    # -- configuring and running -----------------------------------------------------
    def configure(self, connection: Any = None, url: Any = None, dialect_name: str | None = None,
                  dialect_opts: dict | None = None, transactional_ddl: bool | None = None,
                  transaction_per_migration: bool = False, output_buffer: Any = None,
                  starting_rev: str | None = None, tag: str | None = None,
                  template_args: dict | None = None, render_as_batch: bool = False,
                  target_metadata: Any = None, include_name: Callable | None = None,
                  include_object: Callable | None = None, include_schemas: bool = False,
                  process_revision_directives: Callable | None = None,
                  compare_type: Any = True, compare_server_default: Any = False,
                  render_item: Callable | None = None, literal_binds: bool = False,
                  upgrade_token: str = "upgrades", downgrade_token: str = "downgrades",
                  alembic_module_prefix: str = "op.", sqlalchemy_module_prefix: str = "sa.",
                  user_module_prefix: str | None = None, on_version_apply: Any = None,
                  **kw: Any) -> None:
        """Configure the migration context (Alembic's keywords)."""
        from .migration import MigrationContext

        opts = dict(self.context_opts)
        if transactional_ddl is not None:
            opts["transactional_ddl"] = transactional_ddl
        if output_buffer is not None:
            opts["output_buffer"] = output_buffer
        elif opts.get("output_buffer") is not None:
            pass  # the command's own buffer (sqlmigrate)
        elif self.config.output_buffer is not None:
            opts["output_buffer"] = self.config.output_buffer
        else:
            opts["output_buffer"] = self.config.stdout
        if starting_rev:
            opts["starting_rev"] = starting_rev
        if tag:
            opts["tag"] = tag
        if template_args and "template_args" in opts:
            opts["template_args"].update(template_args)
        opts.update(
            transaction_per_migration=transaction_per_migration,
            target_metadata=target_metadata, include_name=include_name,
            include_object=include_object, include_schemas=include_schemas,
            render_as_batch=render_as_batch, compare_type=compare_type,
            compare_server_default=compare_server_default, render_item=render_item,
            upgrade_token=upgrade_token, downgrade_token=downgrade_token,
            alembic_module_prefix=alembic_module_prefix,
            sqlalchemy_module_prefix=sqlalchemy_module_prefix,
            user_module_prefix=user_module_prefix, literal_binds=literal_binds,
            on_version_apply=_as_list(on_version_apply),
        )
        if process_revision_directives is not None:
            opts["process_revision_directives"] = process_revision_directives
        opts.setdefault("migration_lock", self._lock_setting())
        opts.setdefault("migration_lock_timeout", self._lock_timeout())
        progress = self.config.attributes.get("alembic_django.progress")
        if progress is not None and opts.get("progress") is None:  # a command's own wins
            opts["progress"] = progress
        opts.update(kw)
        if connection is not None and self.is_offline_mode():
            raise CommandError("'connection' argument to configure() is not supported in "
                               "offline (--sql) mode; pass url= or dialect_name=")
        if connection is None and url is None and dialect_name is None and \
                not self.is_offline_mode():
            raise CommandError("env.py called context.configure() without a connection "
                               "in online mode")
        self._migration_context = MigrationContext.configure(
            connection=connection, url=url, dialect_name=dialect_name,
            environment_context=self, dialect_opts=dialect_opts, opts=opts,
        )

    def _lock_setting(self) -> bool:
        return self.config.get_alembic_boolean_option("migration_lock", True)

    def _lock_timeout(self) -> float:
        value = self.config.get_alembic_option("migration_lock_timeout", 600)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise CommandError(f"migration_lock_timeout must be a number of seconds, not "
                               f"{value!r}") from None

    def run_migrations(self, **kw: Any) -> None:
        self.get_context().run_migrations(**kw)

    def execute(self, sql: Any, execution_options: dict | None = None) -> None:
        self.get_context().execute(sql, execution_options=execution_options)

    def static_output(self, text: str) -> None:
        self.get_context().impl.static_output(text)

    def begin_transaction(self) -> Any:
        return self.get_context().begin_transaction()

    def get_context(self) -> Any:
        if self._migration_context is None:
            raise CommandError("No context has been configured yet; call "
                               "context.configure() first.")
        return self._migration_context

    def get_bind(self) -> Any:
        return self.get_context().bind

    def get_impl(self) -> Any:
        return self.get_context().impl


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if callable(value):
        return [value]
    return list(value)
