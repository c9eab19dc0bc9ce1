"""``alembic.autogenerate.compare.server_defaults``: the plugin ``alembic.autogenerate.defaults``.

The engine compares identity and server defaults in one function (the user's
``compare_server_default`` callable first, then the dialect's rules).
"""

from .....engine.autogenerate.builtin_plugins.server_defaults import setup
from .....engine.autogenerate.compare import (  # noqa: F401
    _compare_server_default as _dialect_impl_compare_server_default,
)
from .....engine.autogenerate.compare import (  # noqa: F401
    _compare_server_default as _user_compare_server_default,
)
from .....engine.autogenerate.compare import _setup_autoincrement  # noqa: F401
from .....engine.ddl.compare_types import (  # noqa: F401
    _render_server_default_for_compare,
)

__all__ = ["setup"]
