"""``alembic.autogenerate.compare.util``: reflection helpers of the comparisons."""

from .....engine.autogenerate.reflect import _InspectorConv  # noqa: F401
