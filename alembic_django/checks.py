"""System checks (``alembic_django.E00x`` errors, ``W00x`` warnings).

E001 malformed ``settings.ALEMBIC``; E002 unknown database alias; E003 missing or
non-existent ``script_location``; E004 scripts inside a Django app's ``migrations``
package; W001 multiple heads; W002 unapplied revisions (``Tags.database``: only
when ``check --database`` / ``migrate`` asks for database checks).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.checks import Error, Tags, Warning, register

from .engine.errors import CommandError


def _alembic_setting() -> Any:
    from django.conf import settings

    return getattr(settings, "ALEMBIC", None)


@register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list:
    """E001–E004: the shape of ``settings.ALEMBIC`` and where its scripts live."""
    from django.db import connections

    from . import conf

    raw = _alembic_setting()
    if raw is None:
        return []
    problems = conf.validate(raw)
    if problems:
        return [Error(p, hint="See the settings reference for ALEMBIC.", obj="settings.ALEMBIC",
                      id="alembic_django.E001") for p in problems]
    errors: list = []
    for name, env in raw.items():
        alias = env.get("database", "default")
        if alias not in connections.settings and "sqlalchemy.url" not in env:
            errors.append(Error(
                f"settings.ALEMBIC[{name!r}] names database alias {alias!r}, which is not in "
                "settings.DATABASES", obj="settings.ALEMBIC", id="alembic_django.E002"))
        location = _script_location(name)
        if location is None:
            errors.append(Error(
                f"settings.ALEMBIC[{name!r}] has no script_location",
                hint="Add 'script_location': BASE_DIR / '<dir>' (and run 'manage.py alembic init').",
                obj="settings.ALEMBIC", id="alembic_django.E003"))
            continue
        for path in [location, *_version_locations(name)]:
            app = _inside_migrations_package(path)
            if app is not None:
                errors.append(Error(
                    f"settings.ALEMBIC[{name!r}]: {path!r} is inside the migrations package of "
                    f"Django app {app!r}; Django's migration loader imports every module there",
                    hint="Move the Alembic scripts to a directory outside <app>/migrations.",
                    obj="settings.ALEMBIC", id="alembic_django.E004"))
        if (":" not in location or os.path.isabs(location)) and not os.path.isdir(location):
            errors.append(Error(
                f"settings.ALEMBIC[{name!r}] script_location {location!r} is not a directory",
                hint=f"Create it with 'manage.py alembic --name {name} init {location}'.",
                obj="settings.ALEMBIC", id="alembic_django.E003"))
    return errors


def _script_location(name: str) -> str | None:
    from . import conf

    try:
        config = conf.get_config(name, resolve_url=False)
    except CommandError:
        return None
    return config.get_main_option("script_location")


def _version_locations(name: str) -> list[str]:
    from . import conf

    try:
        return conf.get_config(name, resolve_url=False).get_alembic_list_option("version_locations")
    except CommandError:
        return []


def _inside_migrations_package(path: str) -> str | None:
    from django.apps import apps

    try:
        target = Path(path).resolve()
    except (OSError, ValueError):
        return None
    for app in apps.get_app_configs():
        migrations = (Path(app.path) / "migrations").resolve()
        if target == migrations or migrations in target.parents:
            return app.label
    return None


def _healthy_environments() -> list[str]:
    raw = _alembic_setting()
    if raw is None or check_settings():
        return []
    return list(raw)


@register()
def check_heads(app_configs: Any = None, **kwargs: Any) -> list:
    """W001: an environment with more than one head (upgrade head would fail)."""
    from . import conf
    from .engine.script.directory import ScriptDirectory

    warnings: list = []
    for name in _healthy_environments():
        try:
            heads = ScriptDirectory.from_config(conf.get_config(name, resolve_url=False)).get_heads()
        except CommandError as exc:
            warnings.append(Warning(f"settings.ALEMBIC[{name!r}]: cannot read the scripts: "
                                    f"{conf.one_line_error(exc)}",
                                    obj="settings.ALEMBIC", id="alembic_django.W001"))
            continue
        if len(heads) > 1:
            warnings.append(Warning(
                f"Alembic environment {name!r} has multiple heads: {', '.join(sorted(heads))}",
                hint=f"Merge them: manage.py alembic --name {name} merge heads -m 'merge'.",
                obj="settings.ALEMBIC", id="alembic_django.W001"))
    return warnings


@register(Tags.database)
def check_unapplied(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list:
    """W002: revisions not applied to a database named in ``databases``."""
    from . import conf

    if not databases:
        return []
    warnings: list = []
    for name in _healthy_environments():
        _, env = conf.environment(name)
        alias = env.get("database", "default")
        if alias not in databases:
            continue
        try:
            pending = unapplied_revisions(conf.get_config(name))
        except Exception as exc:  # noqa: BLE001 - a system check reports any failure (unreachable
            # database, driver error, broken env) as a warning; it must never crash manage.py
            warnings.append(Warning(
                f"Cannot read Alembic environment {name!r} on database {alias!r}: "
                f"{conf.one_line_error(exc.__cause__ or exc, alias)}",
                obj="settings.ALEMBIC", id="alembic_django.W002"))
            continue
        if pending:
            warnings.append(Warning(
                f"You have {len(pending)} unapplied Alembic revision(s) in environment {name!r} "
                f"on database {alias!r}.",
                hint=f"Run 'manage.py alembic --name {name} upgrade heads' to apply them.",
                obj="settings.ALEMBIC", id="alembic_django.W002"))
    return warnings


def unapplied_revisions(config: Any) -> list[str]:
    """Revision ids that are not applied to the environment's database (oldest first)."""
    from .engine.script.directory import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    return pending_revisions(script, current_heads(config))


def current_heads(config: Any) -> tuple[str, ...]:
    """The revisions recorded in the environment's version table (never creates it).

    Honours ``version_table`` / ``version_table_schema``.  A database that cannot be
    read raises the engine's ``CommandError`` -- one line, password hidden.
    """
    from . import conf
    from .engine.errors import CommandError as EngineError
    from .engine.runtime.migration import MigrationContext

    opts = {}
    for key in ("version_table", "version_table_schema"):
        value = config.get_main_option(key)
        if value:
            opts[key] = value
    alias = config.attributes.get(conf.ATTR_DATABASE)
    try:
        with conf.connected(config):
            shared = config.attributes.get("connection")
            if shared is not None:
                return tuple(MigrationContext.configure(shared, opts=opts).get_current_heads())
            engine = conf.engine_from_config(config)
            try:
                with engine.connect() as connection:
                    return tuple(MigrationContext.configure(connection, opts=opts).get_current_heads())
            finally:
                engine.dispose()
    except EngineError:
        raise
    except Exception as exc:  # driver / SQLAlchemy / Django database errors
        name = config.attributes.get(conf.ATTR_ENVIRONMENT)
        raise EngineError(
            f"Cannot read the version table of environment {name!r} on database {alias!r}: "
            f"{type(exc).__name__}: {conf.one_line_error(exc, alias)}"
        ) from exc


def pending_revisions(script: Any, current_heads: Any) -> list[str]:
    view = script.database_view(tuple(current_heads or ()))  # squashed revisions
    script = view.script
    applied = applied_set(script, view.heads)
    order = [s.revision for s in script.walk_revisions()]
    order.reverse()
    return [rev for rev in order if rev not in applied]


def _parents(script_obj: Any) -> list[str]:
    down = script_obj.down_revision
    if down is None:
        parents: list[str] = []
    elif isinstance(down, str):
        parents = [down]
    else:
        parents = list(down)
    deps = getattr(script_obj, "dependencies", None) or ()
    if isinstance(deps, str):
        deps = [deps]
    return parents + [d for d in deps if d]


def applied_set(script: Any, current_heads: Any) -> set[str]:
    """Every revision at or below the current heads (following down revisions and dependencies)."""
    applied: set[str] = set()
    stack = list(current_heads or ())
    while stack:
        rev = stack.pop()
        obj = script.get_revision(rev)
        key = obj.revision if obj is not None else rev
        if key in applied:
            continue
        applied.add(key)
        if obj is not None:
            stack.extend(_parents(obj))
    return applied
