"""``Rewriter``: a ``process_revision_directives`` hook built from per-op functions.

::

    writer = Rewriter()

    @writer.rewrites(ops.AddColumnOp)
    def add_column(context, revision, op):
        op.column.nullable = True
        return op

    context.configure(..., process_revision_directives=writer)

A rewrite function returns the op, a replacement, a list of ops, or ``[]`` to drop it.
Each op is rewritten once per Rewriter; containers are traversed depth first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..operations import ops


class Rewriter:
    _chained: tuple = ()

    def __init__(self) -> None:
        self._rewriters: dict[type, Callable[..., Any]] = {}

    def chain(self, other: Any) -> Rewriter:
        """A Rewriter that runs this one, then ``other`` (another Rewriter or hook)."""
        wr = self.__class__.__new__(self.__class__)
        wr.__dict__.update(self.__dict__)
        wr._chained = self._chained + (other,)
        return wr

    def rewrites(self, operator: type) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            self._rewriters[operator] = fn
            return fn

        return register

    def __call__(self, context: Any, revision: Any, directives: list[Any]) -> None:
        self.process_revision_directives(context, revision, directives)
        for hook in self._chained:
            hook(context, revision, directives)

    def process_revision_directives(self, context: Any, revision: Any,
                                    directives: list[Any]) -> None:
        self._traverse_list(context, revision, directives)

    # -- traversal ----------------------------------------------------------------
    def _find(self, directive: Any) -> Any:
        for cls in type(directive).__mro__:
            if cls in self._rewriters:
                return self._rewriters[cls]
        return None

    def _rewrite(self, context: Any, revision: Any, directive: Any) -> list[Any]:
        fn = self._find(directive)
        mutations = getattr(directive, "_mutations", frozenset())
        if fn is None or self in mutations:
            return [directive]
        result = fn(context, revision, directive)
        if result is None:
            result = []
        elif not isinstance(result, (list, tuple)):
            result = [result]
        for r in result:
            r._mutations = getattr(r, "_mutations", frozenset()).union([self])
        return list(result)

    def _traverse_for(self, context: Any, revision: Any, directive: Any) -> list[Any]:
        directives = self._rewrite(context, revision, directive)
        for d in directives:
            self._traverse(context, revision, d)
        return directives

    def _traverse(self, context: Any, revision: Any, directive: Any) -> None:
        if isinstance(directive, ops.MigrationScript):
            ups = []
            for up in directive.upgrade_ops_list:
                ret = self._traverse_for(context, revision, up)
                if len(ret) != 1:
                    raise ValueError("Can only return single object for UpgradeOps traverse")
                ups.append(ret[0])
            directive.upgrade_ops = ups
            downs = []
            for down in directive.downgrade_ops_list:
                ret = self._traverse_for(context, revision, down)
                if len(ret) != 1:
                    raise ValueError("Can only return single object for DowngradeOps traverse")
                downs.append(ret[0])
            directive.downgrade_ops = downs
        elif isinstance(directive, ops.OpContainer):
            self._traverse_list(context, revision, directive.ops)

    def _traverse_list(self, context: Any, revision: Any, directives: list[Any]) -> None:
        dest: list[Any] = []
        for directive in directives:
            dest.extend(self._traverse_for(context, revision, directive))
        directives[:] = dest
