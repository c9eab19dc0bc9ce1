"""``alembic.autogenerate.compare.comments``: the built-in plugin ``alembic.autogenerate.comments``."""

from .....engine.autogenerate.builtin_plugins import comments as _impl

setup = _impl.setup

__all__ = ["setup"]
