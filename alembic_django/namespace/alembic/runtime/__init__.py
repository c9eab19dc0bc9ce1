"""``alembic.runtime``: ``environment``, ``migration``, ``plugins``."""
