"""``alembic.autogenerate.compare.types``: the built-in plugin ``alembic.autogenerate.types``."""

from .....engine.autogenerate.builtin_plugins import types as _impl

setup = _impl.setup

__all__ = ["setup"]
