"""Operations: the ``op`` object of a migration script (Alembic's ``Operations``).

Directives are not written here one by one: each op class in :mod:`.ops` carries a
classmethod (``AddColumnOp.add_column(operations, ...)``) that builds the op object
and calls :meth:`Operations.invoke`; ``register_operation`` turns that classmethod
into a method with the same signature.  ``implementation_for`` maps an op class to the
function that performs it (see :mod:`.toimpl`).  Third-party directives use the same
two hooks, as in Alembic.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..errors import CommandError
from .schemaobj import SchemaObjects

#: the ``op`` objects installed in this context (thread, task), innermost last
_current_stack: ContextVar[tuple[Operations, ...]] = ContextVar(
    "alembic_django_operations", default=())


class AbstractOperations:
    """Shared machinery of :class:`Operations` and :class:`BatchOperations`."""

    _to_impl: dict[type, Callable[..., Any]] = {}

    def __init__(self, migration_context: Any, impl: Any = None) -> None:
        self.migration_context = migration_context
        self.impl = impl if impl is not None else migration_context.impl
        self.schema_obj = SchemaObjects(migration_context)

    # -- extension hooks ------------------------------------------------------------

    @classmethod
    def register_operation(cls, name: str, sourcename: str | None = None) -> Callable:
        """Class decorator: expose ``op_cls.<sourcename>`` as the directive ``name``.

        The classmethod's first argument (``operations``) becomes ``self``.
        """

        def register(op_cls: type) -> type:
            source = getattr(op_cls, sourcename or name)
            sig = inspect.signature(source)
            params = list(sig.parameters.values())[1:]

            def method(self: Any, *args: Any, **kw: Any) -> Any:
                return getattr(op_cls, sourcename or name)(self, *args, **kw)

            method.__name__ = name
            method.__qualname__ = f"{cls.__name__}.{name}"
            method.__doc__ = source.__doc__
            method.__signature__ = sig.replace(  # type: ignore[attr-defined]
                parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)]
                + params)
            setattr(cls, name, method)
            return op_cls

        return register

    @classmethod
    def implementation_for(cls, op_cls: type, replace: bool = False) -> Callable:
        """Decorator: ``fn(operations, operation)`` performs ``op_cls`` objects."""

        def decorate(fn: Callable) -> Callable:
            if op_cls in cls._to_impl and not replace:
                raise ValueError(
                    f"Can not set dispatch function for object {op_cls!r}: key already "
                    "exists. To replace existing function, use replace=True."
                )
            cls._to_impl[op_cls] = fn
            return fn

        return decorate

    def invoke(self, operation: Any) -> Any:
        """Perform an op object (what every directive ends in)."""
        for klass in type(operation).__mro__:
            fn = self._to_impl.get(klass)
            if fn is not None:
                return fn(self, operation)
        raise CommandError(f"no implementation for operation {type(operation).__name__}")

    # -- helpers --------------------------------------------------------------------

    @staticmethod
    def f(name: str) -> Any:
        """Mark a name as final: the naming convention will not be applied to it."""
        from sqlalchemy.sql.elements import conv

        return conv(name)

    @staticmethod
    def inline_literal(value: Any, type_: Any = None) -> Any:
        """A value rendered inline in the SQL (usable offline in UPDATE/INSERT)."""
        from ..ddl.impl import inline_literal

        return inline_literal(value, type_)

    def get_context(self) -> Any:
        """The MigrationContext this object runs in."""
        return self.migration_context

    def get_bind(self) -> Any:
        """The Connection in use (None offline)."""
        return self.migration_context.impl.bind

    def run_async(self, async_function: Callable, *args: Any, **kw_args: Any) -> Any:
        """Run ``async_function(async_connection, *args, **kw)`` on the current connection."""
        bind = self.get_bind()
        if bind is None:
            raise CommandError("run_async cannot be used in offline (--sql) mode")
        if not bind.dialect.is_async:
            raise CommandError("run_async needs a connection from an async driver "
                               "(e.g. sqlite+aiosqlite, postgresql+asyncpg)")
        from sqlalchemy.ext.asyncio import AsyncConnection
        from sqlalchemy.util import await_only

        async_conn = AsyncConnection._retrieve_proxy_for_target(bind)
        return await_only(async_function(async_conn, *args, **kw_args))


class Operations(AbstractOperations):
    """The object behind ``op``: one method per migration directive."""

    @classmethod
    @contextmanager
    def context(cls, migration_context: Any) -> Iterator[Operations]:
        """Install ``Operations(migration_context)`` as the ``op`` proxy for the block."""
        ops = cls(migration_context)
        _current_stack.set(_current_stack.get() + (ops,))
        try:
            yield ops
        finally:
            _current_stack.set(tuple(o for o in _current_stack.get() if o is not ops))

    @staticmethod
    def current() -> Operations | None:
        """The Operations installed by :meth:`context` in this thread / task, or None
        outside a migration."""
        stack = _current_stack.get()
        return stack[-1] if stack else None

    @contextmanager
    def batch_alter_table(
        self,
        table_name: str,
        schema: str | None = None,
        recreate: str = "auto",
        partial_reordering: Sequence[tuple] | None = None,
        copy_from: Any = None,
        table_args: tuple = (),
        table_kwargs: Any = None,
        reflect_args: tuple = (),
        reflect_kwargs: Any = None,
        naming_convention: dict | None = None,
    ) -> Iterator[BatchOperations]:
        """Alter one table in a batch; on SQLite, recreate it ("move and copy")."""
        from .batch import BatchOperationsImpl

        if recreate not in ("auto", "always", "never"):
            raise CommandError(f"batch_alter_table {table_name!r}: recreate must be "
                               f"'auto', 'always' or 'never', not {recreate!r}")
        impl = BatchOperationsImpl(
            self, table_name, schema, recreate, copy_from, table_args,
            dict(table_kwargs or {}), reflect_args, dict(reflect_kwargs or {}),
            naming_convention, partial_reordering,
        )
        batch_op = BatchOperations(self.migration_context, impl=impl)
        yield batch_op
        impl.flush()


class BatchOperations(AbstractOperations):
    """``batch_op`` inside ``batch_alter_table``: directives without the table name."""

    impl: Any

    def _noop(self, operation: Any) -> None:
        raise CommandError(f"The {operation} method does not apply to a batch table "
                           "alter operation.")
