"""``alembic.util.langhelpers``: dispatchers and small helpers."""

from ....engine.util.langhelpers import *  # noqa: F401,F403
from ....engine.util.langhelpers import __all__  # noqa: F401
from ....engine.util.langhelpers import _with_legacy_names  # noqa: F401


from ....engine.util import langhelpers as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
