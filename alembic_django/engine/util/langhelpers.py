"""Dispatchers and small language helpers (Alembic's ``alembic.util.langhelpers``).

:class:`Dispatcher` maps a target (a class or a name) to one function per
qualifier (a dialect name or ``"default"``): the registries of renderers and op
implementations.  :class:`PriorityDispatcher` keeps *lists* of functions per
target, qualifier and :class:`DispatchPriority`, and runs them all in priority
order: the registry of autogenerate comparators, whose functions may stop the rest
of their subgroup by returning :attr:`PriorityDispatchResult.STOP`.

Stdlib only, except the re-exported SQLAlchemy helpers, which are loaded on first
use so that read-only commands stay free of SQLAlchemy.
"""

from __future__ import annotations

import collections
import enum
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

_C = TypeVar("_C", bound=Callable[..., Any])
_T = TypeVar("_T")

#: also (loaded from SQLAlchemy on first use): EMPTY_DICT, asbool, immutabledict,
#: memoized_property, to_list, unique_list
__all__ = [
    "DispatchPriority", "Dispatcher", "PriorityDispatchResult", "PriorityDispatcher",
    "dedupe_tuple", "not_none", "rev_id", "to_tuple",
]

_FROM_SQLALCHEMY = ("immutabledict", "memoized_property", "asbool", "to_list", "unique_list")


def __getattr__(name: str) -> Any:
    if name in _FROM_SQLALCHEMY:
        import sqlalchemy.util

        return getattr(sqlalchemy.util, name)
    if name == "EMPTY_DICT":
        import sqlalchemy.util

        return sqlalchemy.util.EMPTY_DICT
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PriorityDispatchResult(enum.Enum):
    """What a function run by a :class:`PriorityDispatcher` asks for next."""

    CONTINUE = enum.auto()
    """Run the remaining functions (any return value but ``STOP`` means this)."""

    STOP = enum.auto()
    """Run no more functions of this subgroup."""


class DispatchPriority(enum.IntEnum):
    """The batch a :class:`PriorityDispatcher` function runs in (highest first)."""

    FIRST = 50
    MEDIUM = 25
    LAST = 10


class Dispatcher:
    """One function per ``(target, qualifier)``; lookup walks a class's MRO."""

    def __init__(self) -> None:
        self._registry: dict[tuple[Any, ...], Any] = {}

    def dispatch_for(self, target: Any, *, qualifier: str = "default",
                     replace: bool = False) -> Callable[[_C], _C]:
        def decorate(fn: _C) -> _C:
            if (target, qualifier) in self._registry and not replace:
                raise ValueError(
                    f"Can not set dispatch function for object {target!r}: key already "
                    "exists. To replace existing function, use replace=True."
                )
            self._registry[(target, qualifier)] = fn
            return fn

        return decorate

    def dispatch(self, obj: Any, qualifier: str = "default") -> Any:
        if isinstance(obj, str):
            targets: Sequence[Any] = [obj]
        elif isinstance(obj, type):
            targets = obj.__mro__
        else:
            targets = type(obj).__mro__
        qualifiers = [qualifier, "default"] if qualifier != "default" else ["default"]
        for target in targets:
            for qual in qualifiers:
                fn = self._registry.get((target, qual))
                if fn is not None:
                    return fn
        raise ValueError(f"no dispatch function for object: {obj}")

    def branch(self) -> Dispatcher:
        """A copy that can be written to independently."""
        d = Dispatcher()
        d._registry.update(self._registry)
        return d


class PriorityDispatcher:
    """Lists of functions per target, qualifier and priority, run in priority order."""

    def __init__(self) -> None:
        self._registry: dict[tuple[Any, ...], list[tuple[Callable[..., Any], str | None]]] = (
            collections.defaultdict(list))

    def dispatch_for(self, target: str, *, priority: DispatchPriority = DispatchPriority.MEDIUM,
                     qualifier: str = "default",
                     subgroup: str | None = None) -> Callable[[_C], _C]:
        """Decorator: run ``fn`` for ``target`` (optionally in a named ``subgroup``)."""

        def decorate(fn: _C) -> _C:
            self._registry[(target, qualifier, priority)].append((fn, subgroup))
            return fn

        return decorate

    def dispatch(self, target: str, *, qualifier: str = "default") -> Callable[..., None]:
        """A callable running every function for ``target`` (dialect-specific ones too)."""
        qualifiers = [qualifier, "default"] if qualifier != "default" else ["default"]

        def go(*arg: Any, **kw: Any) -> None:
            results: dict[str | None, Any] = {}
            for priority in DispatchPriority:
                for qual in qualifiers:
                    for fn, subgroup in self._registry.get((target, qual, priority), ()):
                        if results.get(subgroup) is PriorityDispatchResult.STOP:
                            continue
                        results[subgroup] = fn(*arg, **kw)

        return go

    def has_functions(self, target: str) -> bool:
        """Whether anything is registered for ``target`` (any qualifier or priority)."""
        return any(key[0] == target and fns for key, fns in self._registry.items())

    def branch(self) -> PriorityDispatcher:
        """A copy that can be written to independently."""
        d = PriorityDispatcher()
        d.populate_with(self)
        return d

    def populate_with(self, other: PriorityDispatcher) -> None:
        """Add ``other``'s functions to this one's."""
        for key, fns in other._registry.items():
            self._registry[key].extend(fns)


def _with_legacy_names(translations: Any) -> Callable[[_C], _C]:
    def decorate(fn: _C) -> _C:
        fn._legacy_translations = translations  # type: ignore[attr-defined]
        return fn

    return decorate


def rev_id() -> str:
    """A new revision identifier (12 hex digits)."""
    return uuid.uuid4().hex[-12:]


def to_tuple(x: Any, default: tuple[Any, ...] | None = None) -> tuple[Any, ...] | None:
    if x is None:
        return default
    if isinstance(x, str):
        return (x,)
    if isinstance(x, Iterable):
        return tuple(x)
    return (x,)


def dedupe_tuple(tup: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tup))


def not_none(value: _T | None) -> _T:
    assert value is not None
    return value
