"""``alembic.util.compat``: Python-version helpers."""

from ....engine.util.compat import *  # noqa: F401,F403
from ....engine.util.compat import __all__  # noqa: F401


from ....engine.util import compat as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
