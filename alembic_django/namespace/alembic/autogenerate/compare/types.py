"""``alembic.autogenerate.compare.types``: the built-in plugin ``alembic.autogenerate.types``.

The engine compares types in one function (the user's ``compare_type`` callable
first, then the dialect's rules), registered under both of Alembic's names.
"""

from .....engine.autogenerate.builtin_plugins.types import setup
from .....engine.autogenerate.compare import (  # noqa: F401
    _compare_type as _dialect_impl_compare_type,
)
from .....engine.autogenerate.compare import _compare_type as _user_compare_type  # noqa: F401

__all__ = ["setup"]
