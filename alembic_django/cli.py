"""The standalone command line: ``alembic-django <cmd>`` and ``python -m alembic_django``.

Built from the command registry; the one place (with ``manage.py alembic``) that
turns errors into ``FAILED: <message>`` and an exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
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


def _one_line(exc: BaseException) -> str:
    from .engine.config import mask_password

    text = " ".join(str(exc).split()) or type(exc).__name__
    return mask_password(text)


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
        dest.write(f"FAILED: {_one_line(exc)}\n")
        dest.flush()
        return exc.exit_code
    except KeyboardInterrupt:
        out.write("FAILED: interrupted\n")
        return 130
    except Exception as exc:
        if options.raiseerr:
            raise
        out.write(f"FAILED: {type(exc).__name__}: {_one_line(exc)} (run with --raiseerr for "
                  "the traceback)\n")
        out.flush()
        return 255
    return 0


def console_main() -> None:  # pragma: no cover - the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    console_main()
