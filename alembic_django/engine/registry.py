"""The command registry: one declaration per command feeds every command line.

A verb is a plain function ``fn(config, positional, ..., option=default, ...)``
decorated with :func:`command`.  Its signature and docstring become the
arguments and help text of ``alembic-django <cmd>`` and ``manage.py alembic <cmd>``:
parameters without a default are positionals, parameters with a default are
options spelled the way Alembic spells them (the shared table below).
"""

from __future__ import annotations

import argparse
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Opt:
    """How one parameter appears on the command line."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


def _o(*flags: str, **kwargs: Any) -> Opt:
    return Opt(flags, kwargs)


#: Alembic's spellings of the shared options.
OPTIONS: dict[str, Opt] = {
    "message": _o("-m", "--message", type=str),
    "autogenerate": _o("--autogenerate", action="store_true"),
    "sql": _o("--sql", action="store_true"),
    "head": _o("--head", type=str),
    "splice": _o("--splice", action="store_true"),
    "branch_label": _o("--branch-label", type=str),
    "version_path": _o("--version-path", type=str),
    "rev_id": _o("--rev-id", type=str),
    "depends_on": _o("--depends-on", action="append"),
    "tag": _o("--tag", type=str),
    "rev_range": _o("-r", "--rev-range", type=str),
    "verbose": _o("-v", "--verbose", action="store_true"),
    "indicate_current": _o("-i", "--indicate-current", action="store_true"),
    "resolve_dependencies": _o("--resolve-dependencies", action="store_true"),
    "purge": _o("--purge", action="store_true"),
    "template": _o("-t", "--template", type=str),
    "package": _o("--package", action="store_true"),
    "check_heads": _o("-c", "--check-heads", action="store_true"),
    "as_json": _o("--json", action="store_true"),
}

_PARAM_DOC = re.compile(r":param (\w+):\s*(.+?)(?=\n\s*:param |\n\s*\n|\Z)", re.S)


@dataclass
class Command:
    """A registered verb."""

    name: str
    fn: Callable[..., Any]
    help: str
    description: str
    positionals: list[tuple[str, bool]]  # (name, variadic)
    options: dict[str, Opt]
    param_help: dict[str, str]
    needs_config: bool = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        for name, variadic in self.positionals:
            parser.add_argument(
                name,
                nargs="+" if variadic else None,
                help=self.param_help.get(name),
            )
        for name, opt in self.options.items():
            kwargs = dict(opt.kwargs)
            kwargs.setdefault("help", self.param_help.get(name))
            kwargs["dest"] = name
            parser.add_argument(*opt.flags, **kwargs)

    def run(self, config: Any, namespace: argparse.Namespace, **extra: Any) -> Any:
        """Call the verb with the parsed values; ``extra`` adds API-only keywords (e.g.
        ``process_revision_directives``)."""
        args = [getattr(namespace, name) for name, _ in self.positionals]
        kwargs = {name: getattr(namespace, name) for name in self.options}
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        return self.fn(config, *args, **kwargs, **extra)


@dataclass
class CommandGroup:
    """A command with sub-verbs (``fleet upgrade``, ``fleet current`` ...).

    It looks like a :class:`Command` to both command lines: ``add_arguments`` adds one
    sub-parser per verb, ``run`` calls the verb the command line chose.
    """

    name: str
    help: str
    description: str
    subcommands: dict[str, Command] = field(default_factory=dict)
    needs_config: bool = True

    @property
    def dest(self) -> str:
        return f"{self.name}_cmd"

    def add_arguments(self, parser: argparse.ArgumentParser,
                      each: Callable[[str, argparse.ArgumentParser], None] | None = None) -> None:
        """One sub-parser per verb; ``each(name, subparser)`` may add to each of them
        (e.g. the Django command's verbosity options)."""
        sub = parser.add_subparsers(dest=self.dest, metavar="<command>", required=True)
        for cmd in self.subcommands.values():
            p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description)
            cmd.add_arguments(p)
            if each is not None:
                each(cmd.name, p)

    def chosen(self, namespace: argparse.Namespace) -> Command:
        return self.subcommands[getattr(namespace, self.dest)]

    def run(self, config: Any, namespace: argparse.Namespace) -> Any:
        return self.chosen(namespace).run(config, namespace)


_REGISTRY: dict[str, Command | CommandGroup] = {}


def command_group(name: str, help: str, description: str = "") -> CommandGroup:
    """Declare (or return) the group ``name``; verbs join it with ``@command(group=name)``."""
    group = _REGISTRY.get(name)
    if group is None:
        group = _REGISTRY[name] = CommandGroup(name, help, description or help)
    if not isinstance(group, CommandGroup):
        raise ValueError(f"{name!r} is a command, not a command group")
    return group


def command(
    fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    options: dict[str, Opt] | None = None,
    needs_config: bool = True,
    group: str | None = None,
) -> Any:
    """Register ``fn`` as a command (usable bare or with keyword arguments); with
    ``group``, as a sub-verb of that :func:`command_group`."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.getdoc(func) or ""
        summary = doc.split("\n\n", 1)[0].strip()
        description = doc.split(":param", 1)[0].strip()
        param_help = {m.group(1): " ".join(m.group(2).split()) for m in _PARAM_DOC.finditer(doc)}
        positionals: list[tuple[str, bool]] = []
        opts: dict[str, Opt] = {}
        params = list(inspect.signature(func).parameters.values())[1:]
        takes_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
        for p in params:
            if p.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            if p.default is inspect.Parameter.empty:
                variadic = "list" in str(p.annotation)
                positionals.append((p.name, variadic))
            elif options and p.name in options:
                opts[p.name] = options[p.name]
            elif p.name in OPTIONS:
                opts[p.name] = OPTIONS[p.name]
            # parameters absent from both tables are API-only keywords
        if takes_kw and options:
            # a verb taking **kw gets every option of its table (a family of verbs
            # sharing many options declares them once)
            for opt_name, opt in options.items():
                if opt_name not in opts and opt_name not in {p.name for p in params}:
                    opts[opt_name] = opt
        cmd = Command(
            name=name or func.__name__,
            fn=func,
            help=summary,
            description=description,
            positionals=positionals,
            options=opts,
            param_help=param_help,
            needs_config=needs_config,
        )
        if group is not None:
            _REGISTRY[group].subcommands[cmd.name] = cmd  # type: ignore[union-attr]
        else:
            _REGISTRY[cmd.name] = cmd
        return func

    if fn is not None:
        return register(fn)
    return register


def commands() -> dict[str, Command | CommandGroup]:
    """Every registered command, by name (imports the verb modules on first use)."""
    from . import commands as _verbs  # noqa: F401  (registers on import)
    from .fleet import verbs as _fleet_verbs  # noqa: F401

    return dict(_REGISTRY)


def add_global_arguments(parser: argparse.ArgumentParser, *, django: bool = False) -> None:
    """The options every command line takes before the command name."""
    if not django:
        parser.add_argument(
            "-c", "--config", action="append", dest="config", default=None,
            help="Alternate config file; may be given once for an ini file and once for "
            "a pyproject.toml (default: $ALEMBIC_CONFIG or alembic.ini, and pyproject.toml)",
        )
        parser.add_argument(
            "-q", "--quiet", action="store_true", help="Do not log to std output."
        )
    parser.add_argument(
        "-n", "--name", default=None,
        help="Name of section in .ini file to use for Alembic config (default: alembic)"
        + ("; with Django, the key of settings.ALEMBIC" if django else ""),
    )
    parser.add_argument(
        "-x", action="append", dest="x", default=None,
        help="Additional arguments consumed by custom env.py scripts, e.g. -x setting1=somesetting",
    )
    parser.add_argument(
        "--raiseerr", action="store_true", help="Raise a full stack trace on error"
    )


def add_subcommands(parser: argparse.ArgumentParser, **subparser_kwargs: Any) -> None:
    """Add one subparser per registered command to ``parser``."""
    sub = parser.add_subparsers(dest="cmd", metavar="<command>", **subparser_kwargs)
    for cmd in commands().values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description)
        cmd.add_arguments(p)


def add_arguments(parser: argparse.ArgumentParser, cmd: Command | CommandGroup) -> None:
    """Fill ``parser`` with ``cmd``'s positionals and options."""
    cmd.add_arguments(parser)


def run(cmd: Command | CommandGroup, config: Any, namespace: argparse.Namespace) -> Any:
    """Call ``cmd``'s verb with the values parsed into ``namespace``."""
    return cmd.run(config, namespace)
