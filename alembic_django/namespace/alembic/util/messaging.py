"""``alembic.util.messaging``: console messages for plugins and scripts."""

from ....engine.util.messaging import *  # noqa: F401,F403
from ....engine.util.messaging import __all__  # noqa: F401


from ....engine.util import messaging as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
