"""``alembic.autogenerate.compare.constraints``: the built-in plugin ``alembic.autogenerate.constraints``."""

from .....engine.autogenerate.builtin_plugins import constraints as _impl

setup = _impl.setup

__all__ = ["setup"]
