"""``alembic.util.pyfiles``: loading Python files and rendering templates."""

from ....engine.errors import CommandError  # noqa: F401
from ....engine.util.pyfiles import *  # noqa: F401,F403
from ....engine.util.pyfiles import __all__  # noqa: F401


from ....engine.util import pyfiles as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
