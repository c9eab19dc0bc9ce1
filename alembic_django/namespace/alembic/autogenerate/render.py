"""``alembic.autogenerate.render``: ``renderers`` and the render functions plugins reuse."""

from ....engine.autogenerate.render import (  # noqa: F401
    MAX_PYTHON_ARGS,
    _add_column,
    _add_index,
    _add_table,
    _drop_column,
    _drop_index,
    _drop_table,
    _render_cmd_body,
    render_op,
    render_op_text,
    renderers,
)

__all__ = ["render_op", "render_op_text", "renderers"]


from ....engine.autogenerate import render as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
