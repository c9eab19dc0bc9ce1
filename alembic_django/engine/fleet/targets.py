"""Targets and groups: what a fleet run migrates.

A :class:`Target` is one (environment, database URL, x-arguments) with a stable
printable name such as ``default:tenant_042``.  Its values reach env.py as
x-arguments (``context.get_x_argument(as_dictionary=True)["tenant"]``), so the
cookbook's schema-per-tenant env.py runs unchanged.

Groups are declared in the configuration, one source each::

    # alembic.ini (main section)
    fleet.tenants.sql = SELECT schema_name FROM customers WHERE active
    fleet.canary.names = acme globex
    fleet.shards.urls = sqlite:///a.db sqlite:///b.db

    # pyproject.toml
    [tool.alembic.fleet.tenants]
    sql = "SELECT schema_name FROM customers WHERE active"

    # settings.ALEMBIC["default"]
    "fleet": {"tenants": {"callable": "myproject.tenants:schemas"},
              "shards": {"databases": ["shard1", "shard2"]}}

Sources: ``names`` (a list), ``sql`` (a query on the environment's database; first
column), ``callable`` (``module:attribute`` returning names or dicts), ``urls`` (a
list, or name -> URL), ``databases`` (Django ``DATABASES`` aliases).  ``key`` names
the x-argument (default ``tenant``).  The command line's ``--tenants``,
``--tenants-sql``, ``--tenants-from``, ``--url`` and ``--databases`` make a group of
their own.
"""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

SOURCES = ("names", "sql", "callable", "urls", "databases")
DEFAULT_KEY = "tenant"
#: ``config.attributes`` key of a callable ``alias -> URL string`` (the Django side's)
DATABASE_RESOLVER = "alembic_django.fleet.database_url"
#: ``config.attributes`` key of the environment's name (the Django side sets it)
ENVIRONMENT = "alembic_django.environment"
_NAME = re.compile(r"^[\w.@+-]+$")


@dataclass(frozen=True)
class Target:
    """One database (or schema of one) that a fleet run migrates."""

    environment: str
    label: str
    x: tuple[tuple[str, str], ...] = ()
    url: str | None = field(default=None, repr=False)  # may hold a password: never printed
    database: str | None = None  # a Django DATABASES alias, resolved when the run starts
    groups: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        if self.label == self.environment and not self.x and not self.url and not self.database:
            return self.environment
        return f"{self.environment}:{self.label}"

    def x_arguments(self) -> list[str]:
        return [f"{key}={value}" for key, value in self.x]

    def as_dict(self) -> dict[str, Any]:
        return {"environment": self.environment, "label": self.label,
                "x": [list(pair) for pair in self.x], "url": self.url,
                "database": self.database, "groups": list(self.groups)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        return cls(data["environment"], data["label"], tuple(tuple(p) for p in data["x"]),
                   data.get("url"), data.get("database"), tuple(data.get("groups") or ()))


@dataclass
class GroupSpec:
    """A declared group: where its names come from."""

    name: str
    source: str
    value: Any
    key: str = DEFAULT_KEY
    origin: str = "command line"


def environment_name(config: Any) -> str:
    return config.attributes.get(ENVIRONMENT) or config.config_ini_section


# -- declarations -------------------------------------------------------------------
def declared_groups(config: Any) -> dict[str, GroupSpec]:
    """The groups the configuration declares, in declaration order."""
    raw: dict[str, dict[str, Any]] = {}
    origins: dict[str, str] = {}
    nested = config.get_alembic_option("fleet")
    if nested is not None:
        if not isinstance(nested, dict):
            raise ConfigError(f"{config.origin_of('fleet')}: fleet must be a table of groups "
                              f"(name -> {{source = ...}}), not {nested!r}")
        for name, body in nested.items():
            if not isinstance(body, dict):
                raise ConfigError(f"{config.origin_of('fleet')}: fleet group {name!r} must be "
                                  f"a table with one of {', '.join(SOURCES)}")
            raw.setdefault(name, {}).update(body)
            origins[name] = config.origin_of("fleet") or "config"
    for key, value, origin in config.effective_options():
        if not key.startswith("fleet."):
            continue
        parts = key.split(".")
        if len(parts) != 3:
            raise ConfigError(f"{origin}: {key}: expected fleet.<group>.<source>, e.g. "
                              "fleet.tenants.sql")
        raw.setdefault(parts[1], {})[parts[2]] = value
        origins[parts[1]] = origin
    return {name: _spec(name, body, origins[name]) for name, body in raw.items()}


def _spec(name: str, body: dict[str, Any], origin: str) -> GroupSpec:
    sources = [s for s in SOURCES if body.get(s) not in (None, "", [])]
    unknown = sorted(set(body) - set(SOURCES) - {"key"})
    if unknown:
        raise ConfigError(f"{origin}: fleet group {name!r}: unknown key {unknown[0]!r} "
                          f"(expected one of {', '.join(SOURCES)}, key)")
    if len(sources) != 1:
        raise ConfigError(f"{origin}: fleet group {name!r} needs exactly one of "
                          f"{', '.join(SOURCES)} (got {', '.join(sources) or 'none'})")
    return GroupSpec(name, sources[0], body[sources[0]], str(body.get("key") or DEFAULT_KEY),
                     origin)


def command_line_group(tenants: Any = None, tenants_sql: str | None = None,
                       tenants_from: str | None = None, url: Any = None,
                       databases: Any = None, tenant_key: str | None = None) -> GroupSpec | None:
    """The group ``--tenants`` / ``--tenants-sql`` / ``--tenants-from`` / ``--url`` /
    ``--databases`` describe (None when none is given)."""
    given = [(source, value) for source, value in (
        ("names", tenants), ("sql", tenants_sql), ("callable", tenants_from),
        ("urls", url), ("databases", databases)) if value not in (None, "", [], ())]
    if not given:
        return None
    if len(given) > 1:
        flags = {"names": "--tenants", "sql": "--tenants-sql", "callable": "--tenants-from",
                 "urls": "--url", "databases": "--databases"}
        raise ConfigError("give only one of " + ", ".join(flags[s] for s, _ in given))
    source, value = given[0]
    return GroupSpec("command-line", source, value, tenant_key or DEFAULT_KEY)


# -- resolution ---------------------------------------------------------------------
def _split(value: Any, commas: bool = True) -> list[str]:
    if isinstance(value, str):
        pattern = r"[\s,]+" if commas else r"\s+"
        return [v for v in re.split(pattern, value) if v]
    return [str(v) for v in value]


def resolve(config: Any, spec: GroupSpec) -> list[Target]:
    """The targets of one group, in the order its source gives them."""
    env = environment_name(config)
    where = f"fleet group {spec.name!r} ({spec.origin})"
    if spec.source == "names":
        items: list[Any] = _split(spec.value)
    elif spec.source == "sql":
        items = _run_query(config, str(spec.value), where)
    elif spec.source == "callable":
        items = _call(config, str(spec.value), where)
    elif spec.source == "urls":
        value = spec.value
        if isinstance(value, dict):
            items = [{"name": k, "url": v} for k, v in value.items()]
        else:
            items = [{"url": u} for u in _split(value, commas=False)]
    else:  # databases
        items = [{"name": alias, "database": alias} for alias in _split(spec.value)]
    targets = [_target(env, item, spec, where) for item in items]
    seen: set[str] = set()
    for target in targets:
        if target.name in seen:
            raise ConfigError(f"{where}: target {target.name} appears twice")
        seen.add(target.name)
    return targets


def _target(env: str, item: Any, spec: GroupSpec, where: str) -> Target:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected names or dicts, got {item!r}")
    item = dict(item)
    url = item.pop("url", None)
    database = item.pop("database", None)
    name = item.pop("name", None)
    if name is None and url is not None:
        name = _label_from_url(str(url))
    if not name or not _NAME.match(str(name)):
        raise ConfigError(f"{where}: {name!r} is not a usable target name (letters, digits, "
                          "_ . @ + -)")
    x = {spec.key: str(name)}
    extra = item.pop("x", None) or {}
    x.update({str(k): str(v) for k, v in dict(extra).items()})
    x.update({str(k): str(v) for k, v in item.items()})
    return Target(env, str(name), tuple(x.items()), str(url) if url else None,
                  str(database) if database else None, (spec.name,))


def _label_from_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url).database or ""
    except Exception:  # noqa: BLE001 - an unparsable URL gets a plain label
        database = ""
    base = re.split(r"[\\/]", database)[-1]
    return re.sub(r"\.(db|sqlite3?)$", "", base) or "database"


def _run_query(config: Any, sql: str, where: str) -> list[str]:
    import sqlalchemy as sa

    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise ConfigError(f"{where}: a sql source needs sqlalchemy.url to run the query on")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(sql)).all()
    except Exception as exc:  # noqa: BLE001 - any driver error is the group's error
        from ..config import mask_password

        raise ConfigError(f"{where}: query failed: {mask_password(' '.join(str(exc).split()))}"
                          ) from None
    finally:
        engine.dispose()
    return [str(row[0]) for row in rows]


def import_dotted(path: str, where: str) -> Any:
    """``module:attribute`` (or ``module.attribute``) imported."""
    module_name, sep, attr = path.partition(":")
    if not sep:
        module_name, _, attr = path.rpartition(".")
    if not module_name or not attr:
        raise ConfigError(f"{where}: {path!r} must be 'module:attribute'")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"{where}: cannot import {path!r}: {exc}") from None
    return obj


def _call(config: Any, path: str, where: str) -> list[Any]:
    fn = import_dotted(path, where)
    try:
        takes_config = bool([p for p in inspect.signature(fn).parameters.values()
                             if p.default is inspect.Parameter.empty
                             and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    except (TypeError, ValueError):
        takes_config = False
    try:
        result = fn(config) if takes_config else fn()
    except Exception as exc:  # noqa: BLE001 - the user's callable failed: say which
        raise ConfigError(f"{where}: {path} raised {type(exc).__name__}: {exc}") from None
    if isinstance(result, str):
        return _split(result)
    return list(result)


# -- selection ----------------------------------------------------------------------
def collect(config: Any, cli_group: GroupSpec | None = None,
            group_names: list[str] | None = None) -> tuple[list[Target], dict[str, list[Target]]]:
    """(targets in order, group name -> targets) for one environment.

    The command line's group wins; else the named groups (``--group``); else every
    declared group; else the environment itself as the one target.
    """
    declared = declared_groups(config)
    groups: dict[str, list[Target]] = {}
    if cli_group is not None:
        groups[cli_group.name] = resolve(config, cli_group)
        chosen = [cli_group.name]
        for name in group_names or ():  # named groups may still shape stages
            if name in declared:
                groups[name] = resolve(config, declared[name])
    else:
        for name in group_names or ():
            if name not in declared:
                raise ConfigError(f"No fleet group {name!r} (declared: "
                                  f"{', '.join(declared) or 'none'})")
        chosen = list(group_names or declared)
        for name in declared:
            groups[name] = resolve(config, declared[name])
    if not chosen:
        env = environment_name(config)
        target = Target(env, env)
        return [target], {}
    merged: dict[str, Target] = {}
    for name in chosen:
        for target in groups[name]:
            old = merged.get(target.name)
            if old is not None:
                target = Target(old.environment, old.label, old.x, old.url, old.database,
                                old.groups + (name,))
            merged[target.name] = target
    return list(merged.values()), groups


def select(targets: list[Target], patterns: list[str] | None) -> list[Target]:
    """Targets whose name (or label) matches one of the glob ``patterns`` (all if none)."""
    if not patterns:
        return targets
    return [t for t in targets
            if any(fnmatch.fnmatchcase(t.name, p) or fnmatch.fnmatchcase(t.label, p)
                   for p in patterns)]
