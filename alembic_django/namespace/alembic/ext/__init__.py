"""``alembic.ext``: opt-in plugins (named explicitly in ``autogenerate_plugins``)."""

from . import checkconstraint_byname  # noqa: F401
