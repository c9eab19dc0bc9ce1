"""The ``op`` proxy used by migration scripts: ``from alembic_django import op``.

Every attribute forwards to the :class:`~alembic_django.engine.operations.Operations`
installed by ``Operations.context(migration_context)`` while a migration runs (found
through a context variable, so concurrent runs in threads each see their own), with
directives registered later with ``Operations.register_operation`` included.
``op.f`` and ``op.inline_literal`` need no running migration.

Code written for Alembic may install an ``Operations`` by assigning it to the
module's ``_proxy`` attribute (Alembic's own test fixtures do): it is used when no
migration is running in the current context.  ``op._proxy`` reads the one in use.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

_STATIC = ("f", "inline_literal")


def _operations_class() -> Any:
    from .engine.operations import Operations

    return Operations


def _current(name: str) -> Any:
    ops = _operations_class().current()
    if ops is None:
        ops = globals().get("_proxy")
    if ops is None:
        from .engine.errors import OpNotAvailable

        raise OpNotAvailable(
            f"Can't invoke function '{name}', as the proxy object has not yet been "
            "established for the Alembic 'Operations' class.  Try placing this code inside "
            "a callable."
        )
    return ops


def __getattr__(name: str) -> Callable[..., Any]:
    if name == "Operations":  # as Alembic's op module, which imports it
        return _operations_class()
    if name == "_proxy":
        current = _operations_class().current()
        if current is None:
            raise AttributeError(name)
        return current
    if name.startswith("_"):
        raise AttributeError(name)
    cls = _operations_class()
    attr = getattr(cls, name, None)
    if attr is None or not callable(attr) or name in ("context", "current"):
        raise AttributeError(f"module 'alembic_django.op' has no attribute {name!r}")
    if name in _STATIC:
        return attr

    def proxy(*args: Any, **kw: Any) -> Any:
        return getattr(_current(name), name)(*args, **kw)

    proxy.__name__ = name
    proxy.__doc__ = attr.__doc__
    try:
        sig = inspect.signature(attr)
        params = list(sig.parameters.values())
        if params and params[0].name == "self":
            sig = sig.replace(parameters=params[1:])
        proxy.__signature__ = sig  # type: ignore[attr-defined]
    except (TypeError, ValueError):  # pragma: no cover
        pass
    return proxy


def __dir__() -> list[str]:
    cls = _operations_class()
    return sorted(n for n in dir(cls) if not n.startswith("_") and n not in ("context", "current"))
