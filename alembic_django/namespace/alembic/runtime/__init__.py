"""``alembic.runtime``: ``environment``, ``migration``, ``plugins``."""

from ....engine.autogenerate import plugins  # noqa: F401,E402  (alembic.runtime.plugins)
