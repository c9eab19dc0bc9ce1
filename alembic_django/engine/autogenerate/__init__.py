"""Autogenerate: compare target metadata with the database → op tree → Python source."""

from .api import (  # noqa: F401
    check,
    compare_metadata,
    generate_script_ops,
    produce_migrations,
    produce_revision_directives,
    render_python_code,
)
from .context import AutogenContext  # noqa: F401
from .rewriter import Rewriter  # noqa: F401

__all__ = [
    "AutogenContext", "Rewriter", "check", "compare_metadata", "generate_script_ops",
    "produce_migrations", "produce_revision_directives", "render_python_code",
]
