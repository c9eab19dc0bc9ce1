"""``alembic.ddl._autogen``: comparison results of the dialect implementations."""

from ....engine.ddl.impl import ComparisonResult  # noqa: F401
