"""``alembic``: the root of the namespace (Alembic 1.20's ``alembic`` package).

``context`` and ``op`` are this package's env.py / revision proxies
(:mod:`alembic_django.context`, :mod:`alembic_django.op`); the subpackages load
on first use, so ``import alembic`` alone imports no SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import Any

from ... import context, op
from .. import ALEMBIC_VERSION as __version__

__all__ = ["__version__", "context", "op"]
__alembic_django_shim__ = True

_SUBMODULES = ("autogenerate", "command", "config", "ddl", "environment", "ext", "migration",
               "operations", "runtime", "script", "util")


def __getattr__(name: str) -> Any:
    from ...engine.util.modules import ALIASES

    if f"alembic.{name}" in ALIASES:
        return importlib.import_module(ALIASES[f"alembic.{name}"])
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'alembic' has no attribute {name!r}")
