"""``alembic.migration`` (Alembic's legacy path of ``alembic.runtime.migration``)."""

from .runtime.environment import *  # noqa: F401,F403
from .runtime.migration import *  # noqa: F401,F403
