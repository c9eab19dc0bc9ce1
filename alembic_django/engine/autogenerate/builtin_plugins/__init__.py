"""The engine's own comparisons, set up as Alembic's built-in plugins.

Plugin names and their (target, subgroup) registrations are Alembic's, so that
``autogenerate_plugins=["alembic.autogenerate.*", "~alembic.autogenerate.comments"]``
selects the same comparisons here.  Importing this package sets them up (once).
"""

from __future__ import annotations

from ..plugins import Plugin
from . import checkconstraint_byname, comments, constraints, schema, server_defaults, tables, types

_BUILTIN = (
    (schema, "alembic.autogenerate.schemas"),
    (tables, "alembic.autogenerate.tables"),
    (types, "alembic.autogenerate.types"),
    (constraints, "alembic.autogenerate.constraints"),
    (server_defaults, "alembic.autogenerate.defaults"),
    (comments, "alembic.autogenerate.comments"),
    # opt-in: outside the "alembic.autogenerate.*" wildcard
    (checkconstraint_byname, "alembic.ext.checkconstraint_byname"),
)

for _module, _name in _BUILTIN:
    Plugin.setup_plugin_from_module(_module, _name)
