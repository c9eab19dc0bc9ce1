"""System checks (``alembic_django.E00x`` errors, ``W00x`` warnings).

E001 malformed ``settings.ALEMBIC``; E002 unknown database alias; E003 missing or
non-existent ``script_location``; E004 scripts inside a Django app's ``migrations``
package; E005 an unknown key close to a known one (a typo); E006 a value of the wrong
type; W001 multiple heads; W002 unapplied revisions (``Tags.database``: only when
``check --database`` / ``migrate`` asks for database checks); W003 an unknown key
(``env.py`` may read it); W004 a ``target_metadata`` that cannot be imported.

Also :func:`notify_unapplied`, the ``runserver`` notice for unapplied revisions.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path, PurePath
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
        errors.extend(check_keys(name, env))
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


_PATH = (str, PurePath)
#: every key an ALEMBIC entry may hold: key -> (check, description of the expected type)
KEY_TYPES: dict[str, tuple[Any, str]] = {}


def _key(names: str, check: Any, expected: str) -> None:
    for name in names.split():
        KEY_TYPES[name] = (check, expected)


def _is_paths(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, _PATH) for v in value)
    return isinstance(value, _PATH)


def _is_metadata(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_is_metadata(v) for v in value)
    return isinstance(value, str) or callable(value) or hasattr(value, "tables")


_key("script_location", lambda v: isinstance(v, _PATH), "a str or Path")
_key("version_locations prepend_sys_path", _is_paths, "a str, a Path or a list of them")
_key("database", lambda v: isinstance(v, str), "a DATABASES alias (str)")
_key("target_metadata", _is_metadata,
     "a 'module:attribute' str, a MetaData, a callable or a list of them")
_key("sqlalchemy.url", lambda v: isinstance(v, str), "a str")
_key("migration_lock sourceless recursive_version_locations revision_environment",
     lambda v: isinstance(v, bool), "a bool")
_key("migration_lock_timeout",
     lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "an int or float (seconds)")
_key("truncate_slug_length", lambda v: isinstance(v, int) and not isinstance(v, bool), "an int")
_key("post_write_hooks",
     lambda v: isinstance(v, (list, tuple)) and all(isinstance(h, dict) for h in v),
     "a list of dicts, one per hook")
_key("version_table version_table_schema file_template timezone output_encoding "
     "path_separator version_path_separator databases", lambda v: isinstance(v, str), "a str")


def check_keys(name: str, env: dict[str, Any]) -> list:
    """E005 / W003 unknown keys, E006 wrong types, W004 target_metadata not importable."""
    messages: list = []
    where = f"settings.ALEMBIC[{name!r}]"
    for key, value in env.items():
        if not isinstance(key, str) or value is None or key.startswith("sqlalchemy.") and \
                key != "sqlalchemy.url":
            continue  # (non-string keys are E001; sqlalchemy.* are engine options)
        if key not in KEY_TYPES:
            close = difflib.get_close_matches(key, list(KEY_TYPES), n=1, cutoff=0.8)
            if close:
                messages.append(Error(
                    f"{where} has an unknown key {key!r}", hint=f"Did you mean {close[0]!r}?",
                    obj="settings.ALEMBIC", id="alembic_django.E005"))
            else:
                messages.append(Warning(
                    f"{where} has an unknown key {key!r}",
                    hint="Only env.py can use it (config.get_main_option); if it does, "
                         "silence this with SILENCED_SYSTEM_CHECKS = ['alembic_django.W003'].",
                    obj="settings.ALEMBIC", id="alembic_django.W003"))
            continue
        check, expected = KEY_TYPES[key]
        if key != "database" and not check(value):  # (a bad 'database' is E001)
            messages.append(Error(
                f"{where}[{key!r}] must be {expected}, not {type(value).__name__}",
                obj="settings.ALEMBIC", id="alembic_django.E006"))
        elif key == "target_metadata":
            messages.extend(_check_metadata(where, value))
    return messages


def _check_metadata(where: str, value: Any) -> list:
    """W004 for a ``"module:attribute"`` whose module cannot be found.  The module is
    not imported for this (every command that runs checks, ``runserver`` included, would
    pay for importing the models and SQLAlchemy); when it is imported already, the
    attribute is checked too."""
    import importlib.util
    import sys

    for item in value if isinstance(value, (list, tuple)) else [value]:
        if not isinstance(item, str) or ":" not in item:
            continue
        module_name, _, attribute = item.partition(":")
        problem = None
        try:
            found = module_name in sys.modules or importlib.util.find_spec(module_name)
        except (ImportError, ValueError) as exc:  # a parent package is missing
            found, problem = False, f"{type(exc).__name__}: {exc}"
        if not found:
            problem = problem or f"no module named {module_name!r}"
        elif module_name in sys.modules:
            target: Any = sys.modules[module_name]
            for part in attribute.split("."):
                target = getattr(target, part, None)
            if target is None:
                problem = f"module {module_name!r} has no attribute {attribute!r}"
        if problem:
            return [Warning(
                f"{where}['target_metadata'] {item!r} cannot be imported: {problem}",
                hint="Autogenerate (revision --autogenerate, check) needs it.",
                obj="settings.ALEMBIC", id="alembic_django.W004")]
    return []


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
    if raw is None or any(m.is_serious() for m in check_settings()):
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


def notify_unapplied(command: Any) -> None:
    """What ``runserver`` prints after Django's own unapplied-migrations notice: the
    unapplied revisions of every environment.  Never raises: a database that cannot be
    read gets a one-line notice, broken settings are left to the system checks."""
    from . import conf

    if _alembic_setting() is None:
        return
    try:
        names = _healthy_environments()
    except Exception:  # noqa: BLE001  (the system checks report broken settings)
        return
    pending: dict[str, list[str]] = {}
    for name in names:
        try:
            revisions = _unapplied_through_django(name)
        except Exception as exc:  # noqa: BLE001  (runserver must start: reported instead)
            command.stdout.write(command.style.NOTICE(
                f"Cannot check Alembic environment {name!r} for unapplied revisions: "
                f"{conf.one_line_error(exc)}"))
            continue
        if revisions:
            pending[name] = revisions
    if not pending:
        return
    total = sum(len(revs) for revs in pending.values())
    command.stdout.write(command.style.NOTICE(
        f"\nYou have {total} unapplied Alembic revision(s). Your project may not work "
        f"properly until you apply the revisions for environment(s): {', '.join(pending)}."))
    for name, revisions in pending.items():
        command.stdout.write(command.style.NOTICE(f"  {name}: {', '.join(revisions)}"))
    if len(names) == 1:
        how = "python manage.py alembic upgrade heads"
    elif len(pending) == 1:
        how = f"python manage.py alembic --name {next(iter(pending))} upgrade heads"
    else:
        how = "python manage.py alembic --all upgrade heads"
    command.stdout.write(command.style.NOTICE(f"Run '{how}' to apply them."))


def _unapplied_through_django(name: str) -> list[str]:
    """:func:`unapplied_revisions` of environment ``name``, reading the version table
    through Django's own connection when it can: neither SQLAlchemy nor the engine's
    runtime is imported, so ``runserver`` starts about as fast as without this package."""
    from django.db import connections

    from . import conf
    from .engine.script.directory import ScriptDirectory

    config = conf.get_config(name, resolve_url=False)
    alias = config.attributes.get(conf.ATTR_DATABASE)
    if (alias is None or config.attributes.get("alembic_django.explicit_url")
            or config.get_main_option("version_table_schema")):
        return unapplied_revisions(conf.get_config(name))
    table = config.get_main_option("version_table") or "alembic_version"
    connection = connections[alias]
    with connection.cursor() as cursor:
        heads: tuple[str, ...] = ()
        if table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT version_num FROM {connection.ops.quote_name(table)}")
            heads = tuple(row[0] for row in cursor.fetchall())
    return pending_revisions(ScriptDirectory.from_config(config), heads)


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
