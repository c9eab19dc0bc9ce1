"""Resolve Python references to the standard library and SQLAlchemy without intersphinx.

The docs build runs offline (the tests build them with ``-n -W``), so there is no
intersphinx inventory to download.  This extension answers Sphinx's
``missing-reference`` event instead:

* a standard-library target (``pathlib.Path``, ``collections.abc.Callable``,
  ``os.replace``, the ``configparser`` module) links to its anchor on
  docs.python.org, the page being the longest importable module prefix;
* the SQLAlchemy names the docs and signatures use link to docs.sqlalchemy.org
  (an explicit table: SQLAlchemy's pages are not derivable from the name);
* short names that signatures keep from ``TYPE_CHECKING`` imports (``Config``,
  ``Engine``) are resolved to the object they stand for.

Anything else stays unresolved, so a broken reference still fails the build.
"""

from __future__ import annotations

import importlib.util
import sys

from docutils import nodes

PYTHON = "https://docs.python.org/3/library/"
SQLALCHEMY = "https://docs.sqlalchemy.org/en/20/"

_SA_PAGES = {
    "sqlalchemy.schema.MetaData": "core/metadata.html",
    "sqlalchemy.schema.Table": "core/metadata.html",
    "sqlalchemy.schema.Column": "core/metadata.html",
    "sqlalchemy.types.Enum": "core/type_basics.html",
    "sqlalchemy.engine.URL": "core/engines.html",
    "sqlalchemy.engine.URL.create": "core/engines.html",
    "sqlalchemy.engine.Engine": "core/connections.html",
    "sqlalchemy.engine.Connection": "core/connections.html",
}
_SA_ALIASES = {
    "sqlalchemy.MetaData": "sqlalchemy.schema.MetaData",
    "sqlalchemy.Table": "sqlalchemy.schema.Table",
    "sqlalchemy.Column": "sqlalchemy.schema.Column",
    "sa.Column": "sqlalchemy.schema.Column",
    "Engine": "sqlalchemy.engine.Engine",
    "URL": "sqlalchemy.engine.URL",
}
#: short names in signatures (``TYPE_CHECKING`` imports) -> documented objects
INTERNAL = {
    "Config": "alembic_django.config.Config",
    "Operations": "alembic_django.engine.operations.Operations",
}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError, AttributeError):
        return False


def stdlib_url(target: str, reftype: str) -> str | None:
    parts = target.split(".")
    if parts[0] not in sys.stdlib_module_names:
        return None
    for n in range(len(parts), 0, -1):
        module = ".".join(parts[:n])
        if _is_module(module):
            anchor = f"module-{module}" if reftype == "mod" or n == len(parts) else target
            return f"{PYTHON}{module}.html#{anchor}"
    return None


def sqlalchemy_url(target: str) -> str | None:
    target = _SA_ALIASES.get(target, target)
    page = _SA_PAGES.get(target)
    return f"{SQLALCHEMY}{page}#{target}" if page else None


def resolve(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    if target in INTERNAL:
        return env.get_domain("py").resolve_xref(
            env, node.get("refdoc"), app.builder, node["reftype"], INTERNAL[target], node,
            contnode)
    url = stdlib_url(target, node["reftype"]) or sqlalchemy_url(target)
    if url is None:
        return None
    ref = nodes.reference("", "", internal=False, refuri=url, reftitle=target)
    ref.append(contnode)
    return ref


def setup(app):
    app.connect("missing-reference", resolve)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
