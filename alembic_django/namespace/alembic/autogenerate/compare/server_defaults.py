"""``alembic.autogenerate.compare.server_defaults``: the built-in plugin ``alembic.autogenerate.server_defaults``."""

from .....engine.autogenerate.builtin_plugins import server_defaults as _impl

setup = _impl.setup

__all__ = ["setup"]
