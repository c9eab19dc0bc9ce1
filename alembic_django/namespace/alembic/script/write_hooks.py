"""``alembic.script.write_hooks``: ``@register("name")`` and the built-in runners."""

from ....engine.script.write_hooks import (  # noqa: F401
    _registry,
    _run_hooks,
    console_scripts,
    exec_,
    module,
    register,
)

__all__ = ["console_scripts", "exec_", "module", "register"]


from ....engine.script import write_hooks as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
