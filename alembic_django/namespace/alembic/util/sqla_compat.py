"""``alembic.util.sqla_compat``: SQLAlchemy helpers shared by the engine."""

from ....engine.util.sqla_compat import *  # noqa: F401,F403
from ....engine.util.sqla_compat import __all__  # noqa: F401


from ....engine.util import sqla_compat as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
