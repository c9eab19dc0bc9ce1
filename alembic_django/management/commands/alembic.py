"""``manage.py alembic <command>``: the standalone CLI's commands, the Django way.

Subcommands and their options come from the engine's command registry (one
declaration feeds both command lines).  Django conventions on top: ``-v 0-3``
(0 is quiet; 1 prints one line per migration step; 2 adds timings),
``--no-color`` / ``self.style``, ``--database`` to override the environment's
DATABASES alias, ``-n/--name`` for the ``settings.ALEMBIC`` entry, errors as
``CommandError`` with the engine's exit code.  Extras: ``showmigrations``
(``[X]`` / ``[ ]`` per revision, ``--plan``) and ``upgrade --check``.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ... import checks, conf
from ...engine import registry
from ...engine.errors import CommandError as EngineError

#: commands that never reach a database: no shared connection is opened for them
_OFFLINE = {"init", "list_templates", "heads", "branches", "edit", "merge", "config",
            "sqlmigrate", "squash"}
#: commands that do not even need the database URL (so SQLAlchemy stays unimported)
_NO_URL = {"init", "list_templates", "heads", "branches", "squash"}


class Command(BaseCommand):
    help = "Run Alembic-compatible migration commands for the environments in settings.ALEMBIC."
    # The checks would read every environment before a command that may fix one.
    requires_system_checks: list = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        registry.add_global_arguments(parser, django=True)
        parser.add_argument(
            "--database", default=None,
            help="Django database alias to run against (default: the environment's 'database').",
        )
        parser.add_argument(
            "--all", action="store_true", dest="all_environments",
            help="Run the command for every environment in settings.ALEMBIC, in order "
                 "(like 'migrate' does for every app).",
        )
        sub = parser.add_subparsers(dest="cmd", metavar="<command>", required=True)
        for cmd in registry.commands().values():
            p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description)
            if isinstance(cmd, registry.CommandGroup):
                cmd.add_arguments(p, each=lambda _name, subparser: _add_verbosity(subparser))
                continue
            cmd.add_arguments(p)
            if cmd.name == "init":
                p.set_defaults(template="django")
            if cmd.name == "upgrade":
                p.add_argument(
                    "--check", action="store_true", dest="check_unapplied",
                    help="Apply nothing; exit non-zero when revisions up to REVISION are unapplied.",
                )
            _add_verbosity(p)
        p = sub.add_parser(
            "showmigrations", help="List revisions with [X] / [ ] for applied / unapplied.",
            description="List every revision, grouped by branch, marking the applied ones.",
        )
        p.add_argument("-p", "--plan", action="store_true",
                       help="Show the revisions in the order they will be applied.")
        p.add_argument("--json", action="store_true", dest="as_json",
                       help="print one JSON document (schema: showmigrations.json)")
        _add_verbosity(p)

    # -- entry -----------------------------------------------------------------------
    def run_from_argv(self, argv: list[str]) -> None:
        """``manage.py alembic ...``: the package's warnings as one ``WARNING:`` line each,
        and a trace (``--raiseerr``, ``--traceback``, or an error that is not the engine's)
        printed with passwords masked (``call_command`` leaves both to the caller)."""
        import sys

        from ...cli import print_masked_traceback, warnings_as_lines

        with warnings_as_lines():
            try:
                super().run_from_argv(argv)
            except Exception as exc:  # noqa: BLE001 - printed like Python would, masked
                namespace = getattr(self, "_namespace", None)
                password = conf._password_of(_alias_of(namespace)) if namespace else None
                print_masked_traceback(exc, [password] if password else [])
                sys.exit(getattr(exc, "exit_code", 1))

    def handle(self, *args: Any, **options: Any) -> None:
        namespace = argparse.Namespace(**options)
        namespace.quiet = options["verbosity"] == 0
        self._namespace = namespace
        self._progress_open = False
        name = options.get("cmd")
        try:
            if options.get("all_environments"):
                if namespace.name:
                    raise CommandError("--all and --name are mutually exclusive")
                for env_name in conf.environments():
                    if namespace.verbosity >= 1:
                        self.stdout.write(self.style.MIGRATE_HEADING(
                            f"Environment {env_name!r}:"))
                    namespace.name = env_name
                    self._dispatch(name, namespace)
            else:
                self._dispatch(name, namespace)
        except EngineError as exc:
            self._end_progress_line()
            if options.get("raiseerr"):
                raise
            # one line, as every engine error should be (a driver error wrapped by env.py
            # may carry SQLAlchemy's "Background on this error" line)
            raise CommandError(conf.one_line_error(exc, _alias_of(namespace)),
                               returncode=exc.exit_code) from exc
        except BaseException:
            self._end_progress_line()
            raise

    def _end_progress_line(self) -> None:
        """A step that failed left "  Running upgrade ...": finish that line first."""
        if getattr(self, "_progress_open", False):
            self._progress_open = False
            self.stdout.write(self.style.ERROR(" FAILED"))

    def _dispatch(self, name: str, namespace: argparse.Namespace) -> None:
        if name == "showmigrations":
            self.show_migrations(namespace)
        else:
            self.run_command(registry.commands()[name], namespace)

    def get_config(self, namespace: argparse.Namespace, needs_config: bool = True,
                   resolve_url: bool = True):
        try:
            config = conf.get_config(
                namespace.name, database=namespace.database, stdout=self.stdout,
                cmd_opts=namespace, resolve_url=resolve_url,
            )
        except EngineError:
            if needs_config:
                raise
            from ...engine.config import Config

            config = Config(stdout=self.stdout, cmd_opts=namespace)
        verbosity = namespace.verbosity
        if verbosity >= 1 and not getattr(namespace, "sql", False):
            # (offline SQL goes to stdout: progress lines would corrupt it)
            config.attributes.setdefault(conf.ATTR_PROGRESS, ProgressPrinter(self, verbosity))
        if verbosity >= 3:
            _log_to_stderr()
        return config

    def run_command(self, cmd: registry.Command | registry.CommandGroup,
                    namespace: argparse.Namespace) -> None:
        if isinstance(cmd, registry.CommandGroup):  # fleet: targets from settings
            from ... import django_fleet

            verb = cmd.chosen(namespace)
            config = self.get_config(namespace, verb.needs_config)
            config.attributes.pop(conf.ATTR_PROGRESS, None)
            verb.run(django_fleet.prepare(config), namespace)
            return
        config = self.get_config(namespace, getattr(cmd, "needs_config", True),
                                 resolve_url=_needs_url(cmd.name, namespace))
        if cmd.name == "init" and config.config_file_name is None and conf.base_dir() is not None:
            # ``init`` writes its (optional) standalone alembic.ini in BASE_DIR, not the cwd
            config.config_file_name = str(conf.base_dir() / "alembic.ini")
        if cmd.name == "upgrade" and namespace.check_unapplied:
            self.check_unapplied(config, namespace)
            return
        offline = cmd.name in _OFFLINE or getattr(namespace, "sql", False)
        if offline or not _needs_url(cmd.name, namespace):
            cmd.run(config, namespace)
            return
        with conf.connected(config):
            cmd.run(config, namespace)

    # -- upgrade --check ----------------------------------------------------------------
    def check_unapplied(self, config: Any, namespace: argparse.Namespace) -> None:
        from ...engine.script.directory import ScriptDirectory

        current = current_heads(config)
        script = ScriptDirectory.from_config(config).database_view(current).script
        target = {s.revision for s in _resolve(script, namespace.revision)}
        wanted = checks.applied_set(script, target)
        pending = [r for r in checks.pending_revisions(script, current) if r in wanted]
        if not pending:
            if namespace.verbosity >= 1:
                self.stdout.write("No unapplied revisions.")
            return
        for rev in pending:
            self.stdout.write(f" [ ] {_label(script, rev)}")
        raise CommandError(
            f"{len(pending)} unapplied revision(s) up to {namespace.revision!r}", returncode=1
        )

    # -- showmigrations -------------------------------------------------------------------
    def show_migrations(self, namespace: argparse.Namespace) -> None:
        from ...engine.script.directory import ScriptDirectory

        config = self.get_config(namespace)
        view = ScriptDirectory.from_config(config).database_view(current_heads(config))
        script = view.script
        applied = checks.applied_set(script, view.heads)
        order = [s.revision for s in script.walk_revisions()]
        order.reverse()
        if getattr(namespace, "as_json", False):
            self.stdout.write(showmigrations_json(config, script, order, applied,
                                                  namespace.plan))
            return
        if namespace.plan:
            for rev in order:
                mark = "[X]" if rev in applied else "[ ]"
                extra = ""
                if namespace.verbosity >= 2:
                    parents = checks._parents(script.get_revision(rev))
                    extra = f" ({', '.join(parents)})" if parents else " (base)"
                self.stdout.write(f"{mark}  {_label(script, rev)}{extra}")
            return
        for group, revs in group_by_branch(script, order).items():
            self.stdout.write(self.style.MIGRATE_LABEL(group))
            for rev in revs:
                mark = "[X]" if rev in applied else "[ ]"
                self.stdout.write(f" {mark} {_label(script, rev)}")
        if not order:
            self.stdout.write(" (no revisions)")


def _alias_of(namespace: argparse.Namespace) -> str | None:
    """The DATABASES alias the command ran against (its password is hidden in errors)."""
    if getattr(namespace, "database", None):
        return namespace.database
    try:
        return conf.environment(getattr(namespace, "name", None))[1].get("database", "default")
    except EngineError:
        return "default"


def _needs_url(name: str, namespace: argparse.Namespace) -> bool:
    """False for commands that never connect (so SQLAlchemy stays unimported for them)."""
    if name in _NO_URL:
        return False
    if name == "history":
        return bool(getattr(namespace, "indicate_current", False))
    if name == "show":
        return getattr(namespace, "rev", None) == "current"
    return True


def _log_to_stderr() -> None:
    """At ``-v 3`` show the engine's log lines (``Context impl``, ``Running upgrade``...)."""
    import logging
    import sys

    logger = logging.getLogger("alembic_django")
    if not any(getattr(h, "_alembic_django", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-5.5s [%(name)s] %(message)s"))
        handler._alembic_django = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


def _add_verbosity(parser: argparse.ArgumentParser) -> None:
    """Accept Django's options after the subcommand too, as ``manage.py migrate`` does.

    ``-v`` is Django's verbosity unless the command owns ``-v`` (Alembic's ``--verbose``);
    ``--verbosity`` always is.
    """
    flags = ["--verbosity"]
    if "-v" not in parser._option_string_actions:
        flags.insert(0, "-v")
    hide = argparse.SUPPRESS
    parser.add_argument(*flags, type=int, choices=[0, 1, 2, 3], dest="verbosity", default=hide,
                        help="Verbosity level; 0=minimal output, 1=normal output, 2=verbose output "
                        "(step timings), 3=very verbose output")
    parser.add_argument("--database", default=hide, help="Django database alias to run against.")
    parser.add_argument("--name", default=hide, help="The settings.ALEMBIC environment.")
    for flag in ("--no-color", "--force-color", "--traceback", "--raiseerr"):
        parser.add_argument(flag, action="store_true", default=hide, help=hide)
    for flag in ("--settings", "--pythonpath"):
        parser.add_argument(flag, default=hide, help=hide)


def _resolve(script: Any, revision: str) -> list[Any]:
    return [r for r in script.get_revisions(revision) if r is not None]


def _label(script: Any, rev: str) -> str:
    obj = script.get_revision(rev)
    doc = (getattr(obj, "doc", "") or "").strip().splitlines()
    return f"{rev} {doc[0]}" if doc else rev


def group_by_branch(script: Any, order: list[str]) -> dict[str, list[str]]:
    """Revisions (upgrade order) grouped by branch label.

    A revision with a branch label starts a group of that name; a revision
    without one joins its first parent's group; unlabelled bases form the group
    ``(main)``.
    """
    group_of: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for rev in order:
        obj = script.get_revision(rev)
        own = obj._orig_branch_labels if hasattr(obj, "_orig_branch_labels") else obj.branch_labels
        labels = sorted(own or ())
        down = obj.down_revision
        parents = [down] if isinstance(down, str) else list(down or ())
        if labels:
            group = labels[0]
        elif parents and parents[0] in group_of:
            group = group_of[parents[0]]
        else:
            group = "(main)"
        group_of[rev] = group
        groups.setdefault(group, []).append(rev)
    return groups


def showmigrations_json(config: Any, script: Any, order: list[str], applied: set[str],
                        plan: bool) -> str:
    """``showmigrations --json``: the document docs/json-schemas/showmigrations.json describes."""
    import json

    from ...engine.commands.jsonout import FORMAT

    groups = group_by_branch(script, order)
    branch_of = {rev: group for group, revs in groups.items() for rev in revs}
    ordered = order if plan else [rev for revs in groups.values() for rev in revs]
    doc = {
        "format": FORMAT,
        "environment": config.attributes.get(conf.ATTR_ENVIRONMENT),
        "plan": bool(plan),
        "revisions": [{
            "revision": rev,
            "doc": (script.get_revision(rev).doc or ""),
            "branch": branch_of[rev],
            "applied": rev in applied,
            "replaces": list(getattr(script.get_revision(rev), "replaces", ()) or ()),
        } for rev in ordered],
    }
    return json.dumps(doc, indent=2)


def current_heads(config: Any) -> tuple[str, ...]:
    """The revisions recorded in the environment's version table (never creates it)."""
    return checks.current_heads(config)


class ProgressPrinter:
    """Renders the engine's progress events: one line per step, its timing at ``-v 2``.

    The engine calls it with ``{"event": "step_start" | "step_done", "step":
    "upgrade A -> B, message", "elapsed": seconds (step_done), ...}``.
    """

    def __init__(self, command: BaseCommand, verbosity: int) -> None:
        self.command = command
        self.verbosity = verbosity

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        out = self.command.stdout
        if kind == "step_start":
            # at -v 3 the engine's own log lines follow, so the line is finished here
            out.write(f"  Running {event.get('step', '')}...", ending="\n" if self.verbosity >= 3 else "")
            out.flush()
            self.command._progress_open = self.verbosity < 3
        elif kind == "step_done":
            self.command._progress_open = False
            suffix = ""
            if self.verbosity >= 2 and event.get("elapsed") is not None:
                suffix = f" ({event['elapsed']:.3f}s)"
            out.write(self.command.style.SUCCESS(" OK") + suffix)
