"""``alembic.util.editor``: ``open_in_editor``."""

from ....engine.errors import CommandError
from ....engine.util.editor import _default_editors, _find_editor, open_in_editor  # noqa: F401

__all__ = ["CommandError", "open_in_editor"]


from ....engine.util import editor as _engine_module  # noqa: E402


def __getattr__(name: str) -> object:
    """Anything else the engine module has (e.g. helpers plugins reach for)."""
    return getattr(_engine_module, name)
