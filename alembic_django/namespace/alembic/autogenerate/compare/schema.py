"""``alembic.autogenerate.compare.schema``: the built-in plugin ``alembic.autogenerate.schema``."""

from .....engine.autogenerate.builtin_plugins import schema as _impl

setup = _impl.setup

__all__ = ["setup"]
