"""The ``alembic`` namespace: Alembic 1.20's module paths, onto this engine.

``alembic_django.namespace.alembic`` is a package tree that mirrors Alembic's public
modules (``alembic.operations.ops``, ``alembic.autogenerate.api``, ``alembic.ddl.base``,
``alembic.util`` ...).  Each module re-exports this engine's own objects: a comparator
registered through ``alembic.autogenerate.comparators`` is the one the engine calls,
``alembic.operations.Operations`` is the engine's class.

The engine activates the namespace by itself while it executes env.py and revision
files.  Tools that import ``alembic`` on their own (Flask-Migrate, pytest-alembic, a
test harness) opt in for the whole process::

    import alembic_django.namespace
    alembic_django.namespace.install()      # before anything imports alembic
    import alembic.command                  # now this engine's commands

or run a console script under it: ``python -m alembic_django.namespace flask db upgrade``.
"""

from __future__ import annotations

import contextlib
import types

from ..engine.util.modules import NAMESPACE, AlembicNamespace

#: the Alembic release whose behaviour this engine implements (``alembic.__version__``)
ALEMBIC_VERSION = "1.20.1"

__all__ = ["ALEMBIC_VERSION", "AlembicNamespace", "activated", "install", "installed",
           "uninstall"]


def install() -> types.ModuleType:
    """Make ``import alembic...`` resolve to this engine for the rest of the process.

    Returns the ``alembic`` module.  Call it before anything imports ``alembic``;
    a real Alembic imported earlier is set aside (and refused, with a
    ``CommandError`` naming them, if plugins registered into it).
    """
    return NAMESPACE.install()


def uninstall() -> None:
    """Undo :func:`install` (the real Alembic's modules come back when no run is active)."""
    NAMESPACE.uninstall()


def installed() -> bool:
    """Whether :func:`install` is in effect."""
    return NAMESPACE.installed


def activated() -> contextlib.AbstractContextManager[types.ModuleType]:
    """``with activated(): import alembic.command`` (scoped, thread-safe, nests)."""
    return NAMESPACE.activated()
