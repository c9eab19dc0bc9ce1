"""The standalone command line: ``alembic-django <cmd>`` and ``python -m alembic_django``.

Built from the command registry; the one place (with ``manage.py alembic``) that
turns errors into ``FAILED: <message>`` and an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from . import __version__


class CommandLine:
    """The command line as an object (Alembic's ``alembic.config.CommandLine``).

    ``parser`` is the ``argparse`` parser; :meth:`register_command` adds a verb
    ``fn(config, ...)`` (its signature and docstring become arguments and help);
    :meth:`main` parses ``argv``, builds the :class:`Config` and runs the command.
    A ``CommandError`` ends the process as Alembic's does (``FAILED: ...``, exit
    255) unless ``--raiseerr`` was given; :func:`main` below returns the exit code
    instead, for this package's console script.
    """

    def __init__(self, prog: str | None = None) -> None:
        from .engine import registry

        self.prog = prog
        self.parser = argparse.ArgumentParser(
            prog=prog or "alembic-django",
            description="Alembic-compatible database migrations (alembic-django).",
        )
        self.parser.add_argument(
            "--version", action="version",
            version=f"%(prog)s {__version__} (alembic {_alembic_version()})")
        registry.add_global_arguments(self.parser)
        self.commands = registry.commands()
        self.subparsers = registry.add_subcommands(self.parser)

    def register_command(self, fn: Any) -> None:
        """Add ``fn(config, ...)`` as the subcommand ``fn.__name__``."""
        from .engine import registry

        cmd = registry.make_command(fn)
        self.commands[cmd.name] = cmd
        registry.add_subparser(self.subparsers, cmd)

    def run_cmd(self, config: Any, options: argparse.Namespace) -> None:
        """Run the command ``options`` names with ``config``."""
        from .engine.errors import CommandError
        from .engine.util.messaging import err

        try:
            self.commands[options.cmd].run(config, options)
        except CommandError as exc:
            if getattr(options, "raiseerr", False):
                raise
            err(_one_line(exc), quiet=bool(getattr(options, "quiet", False)))

    def _inis_from_config(self, options: argparse.Namespace) -> tuple[str, str]:
        """``(pyproject.toml, ini)`` from ``-c`` options and ``$ALEMBIC_CONFIG``."""
        from .engine.errors import CommandError

        env = os.environ.get("ALEMBIC_CONFIG")
        if env and os.path.basename(env) == "pyproject.toml":
            default_toml, default_ini = env, "alembic.ini"
        else:
            default_toml, default_ini = "pyproject.toml", env or "alembic.ini"
        toml = ini = None
        for name in options.config or ():
            if os.path.basename(name) == "pyproject.toml":
                if toml is not None:
                    raise CommandError("pyproject.toml indicated more than once")
                toml = name
            else:
                if ini is not None:
                    raise CommandError("only one ini file may be indicated")
                ini = name
        return toml or default_toml, ini or default_ini

    def main(self, argv: Sequence[str] | None = None) -> None:
        """Parse ``argv`` and run the command it names."""
        from .engine.config import Config

        options = self.parser.parse_args(argv)
        if not getattr(options, "cmd", None):
            self.parser.error("too few arguments")
        toml, ini = self._inis_from_config(options)
        config = Config(file_=ini, toml_file=toml, ini_section=options.name or "alembic",
                        cmd_opts=options)
        self.run_cmd(config, options)


def _alembic_version() -> str:
    from .namespace import ALEMBIC_VERSION

    return ALEMBIC_VERSION


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    return CommandLine(prog).parser


def _config_files(values: list[str] | None, must_exist: bool = True
                  ) -> tuple[str | None, str | None, bool]:
    """(ini, pyproject, explicit) from the -c options, $ALEMBIC_CONFIG and defaults."""
    from .engine.errors import ConfigError

    ini = toml = None
    if values:
        for value in values:
            if os.path.basename(value) == "pyproject.toml":
                if toml is not None:
                    raise ConfigError(f"-c/--config may name at most one pyproject.toml "
                                      f"(got {toml} and {value})")
                toml = value
            else:
                if ini is not None:
                    raise ConfigError(f"-c/--config may name at most one ini file "
                                      f"(got {ini} and {value})")
                ini = value
        for path in (ini, toml):
            if must_exist and path is not None and not os.path.exists(path):
                raise ConfigError(f"No config file {path!r} found")
        if toml is None and os.path.exists("pyproject.toml"):
            toml = "pyproject.toml"
        return ini, toml, True
    env = os.environ.get("ALEMBIC_CONFIG")
    if env:
        if must_exist and not os.path.exists(env):
            raise ConfigError(f"No config file {env!r} found (from ALEMBIC_CONFIG)")
        ini = env
    else:
        ini = "alembic.ini"
    toml = "pyproject.toml" if os.path.exists("pyproject.toml") else None
    return ini, toml, False


def make_config(options: argparse.Namespace, stdout: TextIO, must_exist: bool = True) -> Any:
    from .engine.config import Config

    ini, toml, _ = _config_files(options.config, must_exist)
    return Config(
        file_=ini,
        toml_file=toml,
        ini_section=options.name or "alembic",
        stdout=stdout,
        cmd_opts=options,
    )


def run(options: argparse.Namespace, stdout: TextIO) -> Any:
    from .engine import registry
    from .engine.errors import ConfigError

    cmd = registry.commands()[options.cmd]
    if isinstance(cmd, registry.CommandGroup):
        cmd = cmd.chosen(options)
    config = make_config(options, stdout, must_exist=cmd.needs_config)
    if cmd.needs_config and not config.has_source():
        name = config.config_ini_section
        raise ConfigError(
            f"No config file {config.config_file_name!r} found, or file has no '[{name}]' "
            "section" + (" (and no [tool.alembic] in pyproject.toml)" if config.toml_file_name
                         is None else "")
        )
    return cmd.run(config, options)


def _one_line(exc: BaseException, options: argparse.Namespace | None = None) -> str:
    """The error as one line: masked, no statement parameters (:func:`error_line`), and
    with the passwords the configuration files hold hidden however they appear."""
    from .engine.util.masking import error_line

    return error_line(exc, _known_secrets(options))


def _known_secrets(options: argparse.Namespace | None) -> list[str]:
    from .engine.errors import CommandError

    if options is None:
        return []
    try:
        return make_config(options, sys.stdout, must_exist=False).known_secrets()
    except (CommandError, OSError):
        return []


def main(argv: Sequence[str] | None = None, prog: str | None = None,
         stdout: TextIO | None = None) -> int:
    """Run one command; returns the exit code (0 on success)."""
    from .engine.errors import CommandError

    out = stdout or sys.stdout
    parser = build_parser(prog)
    options = parser.parse_args(argv)
    if not getattr(options, "cmd", None):
        parser.error("too few arguments")
    try:
        run(options, out)
    except CommandError as exc:
        if options.raiseerr:
            raise
        # -q: Alembic keeps stdout empty (its only trace is the logged ERROR line on
        # stderr); we keep stdout empty too and put the FAILED line on stderr -- as
        # with --json, whose stdout is one JSON document or nothing
        quiet = getattr(options, "quiet", False) or getattr(options, "as_json", False)
        dest = sys.stderr if quiet else out
        dest.write(f"FAILED: {_one_line(exc, options)}\n")
        dest.flush()
        return exc.exit_code
    except KeyboardInterrupt:
        out.write("FAILED: interrupted\n")
        return 130
    except Exception as exc:
        if options.raiseerr:
            raise
        out.write(f"FAILED: {type(exc).__name__}: {_one_line(exc, options)} (run with --raiseerr for "
                  "the traceback)\n")
        out.flush()
        return 255
    return 0


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


@contextlib.contextmanager
def warnings_as_lines(stream: TextIO | None = None) -> Iterator[None]:
    """Show the package's warnings as one ``WARNING: <text>`` line each on stderr.

    Python prints a warning with its file, line number and source line, and hides
    deprecations altogether; a user of the command line gets neither.  Warnings from
    other code (env.py, SQLAlchemy, drivers) keep Python's format.  For the processes
    the command lines start (``console_main``, ``manage.py alembic``): it changes the
    process's warning display while the command runs.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("default", category=DeprecationWarning,
                                module=r"alembic_django(\.|$)")
        original = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: TextIO | None = None, line: str | None = None) -> None:
            if os.path.abspath(filename).startswith(_PACKAGE_DIR):
                out = stream if stream is not None else sys.stderr
                out.write(f"WARNING: {' '.join(str(message).split())}\n")
            else:
                original(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


def print_masked_traceback(exc: BaseException, secrets: Sequence[str] = (),
                           stream: TextIO | None = None) -> None:
    """The full trace ``--raiseerr`` asks for, passwords masked (chained exceptions too)."""
    import traceback

    from .engine.util.masking import mask_password

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    (stream if stream is not None else sys.stderr).write(mask_password(text, secrets))


def console_main(argv: Sequence[str] | None = None) -> None:
    """The console script: :func:`main`, with warnings as one line each and the
    ``--raiseerr`` trace printed with passwords masked."""
    with warnings_as_lines():
        try:
            code = main(argv)
        except Exception as exc:  # noqa: BLE001 - main raises only under --raiseerr: show it
            options, _ = build_parser().parse_known_args(argv)
            print_masked_traceback(exc, _known_secrets(options))
            code = getattr(exc, "exit_code", 1)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    console_main()
