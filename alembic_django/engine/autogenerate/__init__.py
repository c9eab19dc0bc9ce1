"""Autogenerate: compare target metadata with the database → op tree → Python source."""

from .api import (  # noqa: F401
    check,
    compare_metadata,
    generate_script_ops,
    produce_migrations,
    produce_revision_directives,
    render_python_code,
)
from .compare import comparators  # noqa: F401
from .context import AutogenContext  # noqa: F401
from .render import renderers  # noqa: F401
from .rewriter import Rewriter  # noqa: F401

__all__ = [
    "AutogenContext", "Rewriter", "check", "comparators", "compare_metadata",
    "generate_script_ops", "produce_migrations", "produce_revision_directives",
    "render_python_code", "renderers",
]
