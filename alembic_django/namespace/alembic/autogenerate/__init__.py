"""``alembic.autogenerate``: compare → op tree → render, and their registries."""

from ....engine.autogenerate import render, rewriter  # noqa: F401  (alembic.autogenerate.*)
from ....engine.autogenerate.api import (  # noqa: F401
    RevisionContext,
    _render_migration_diffs,
    compare_metadata,
    produce_migrations,
    render_python_code,
)
from ....engine.autogenerate.compare import _produce_net_changes, comparators  # noqa: F401
from ....engine.autogenerate.render import render_op_text, renderers
from ....engine.autogenerate.rewriter import Rewriter
from . import api, compare  # noqa: F401

__all__ = ["RevisionContext", "Rewriter", "comparators", "compare_metadata",
           "produce_migrations", "render_op_text", "render_python_code", "renderers"]
