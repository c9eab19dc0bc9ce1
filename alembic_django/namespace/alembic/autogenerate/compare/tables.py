"""``alembic.autogenerate.compare.tables``: the built-in plugin ``alembic.autogenerate.tables``."""

from .....engine.autogenerate.builtin_plugins import tables as _impl

setup = _impl.setup

__all__ = ["setup"]
