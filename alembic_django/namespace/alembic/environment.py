"""``alembic.environment`` (Alembic's legacy path of ``alembic.runtime.environment``)."""

from .runtime.environment import *  # noqa: F401,F403
from .runtime.migration import *  # noqa: F401,F403
