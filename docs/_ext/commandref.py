"""``.. command-reference::`` -- the command reference, generated from the registry.

The directive imports :mod:`alembic_django.engine.registry`, asks it for every
registered command and lets the registry fill an :mod:`argparse` parser for each one,
exactly as both CLIs do.  Every positional and option is listed with its help text, so
the page cannot drift from the code.  The page still builds (saying so) while the
registry or some command modules are missing.
"""

from __future__ import annotations

import argparse
import importlib
import inspect

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

COMMAND_MODULES = (
    "alembic_django.engine.commands.environment",
    "alembic_django.engine.commands.scripts",
    "alembic_django.engine.commands.database",
    "alembic_django.command",
    "alembic_django.engine.fleet.verbs",
)


def load_commands() -> dict:
    """Name -> registry ``Command``, or an empty dict when there is no registry yet."""
    try:
        registry = importlib.import_module("alembic_django.engine.registry")
    except ImportError:
        return {}
    for name in COMMAND_MODULES:  # registration happens on import
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    return dict(sorted(registry.commands().items()))


def command_summary(cmd) -> str:
    """The command's docstring up to the first blank line or ``:param``."""
    fn = getattr(cmd, "fn", None) or getattr(cmd, "func", None) or getattr(cmd, "function", None)
    doc = getattr(cmd, "help", None) or (inspect.getdoc(fn) if fn else None) or ""
    lines = []
    for line in inspect.cleandoc(doc).splitlines():
        if not line.strip() or line.lstrip().startswith(":"):
            break
        lines.append(line.strip())
    return " ".join(lines)


def build_parser(name: str, cmd) -> argparse.ArgumentParser:
    from alembic_django.engine import registry

    parser = argparse.ArgumentParser(prog=f"alembic-django {name}", add_help=False)
    registry.add_arguments(parser, cmd)
    return parser


def argument_rows(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if action.option_strings:
            label = ", ".join(action.option_strings)
            if action.nargs != 0:
                label += " " + (action.metavar or action.dest.upper())
        else:
            label = action.metavar or action.dest
        help_text = (action.help or "").replace("%%", "%")
        if help_text == argparse.SUPPRESS:
            continue
        rows.append((label, help_text))
    return rows


class CommandReference(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        commands = load_commands()
        if not commands:
            return [nodes.paragraph(text="The command registry is not available in this build.")]
        return [self.command_section(name, cmd) for name, cmd in commands.items()]

    def command_section(self, name: str, cmd) -> nodes.section:
        section = nodes.section(ids=[nodes.make_id(f"command-{name}")], names=[name])
        section += nodes.title(text=name)
        summary = command_summary(cmd)
        if summary:
            section += nodes.paragraph(text=summary)
        subcommands = getattr(cmd, "subcommands", None)
        if subcommands:  # a command group (``fleet``): one sub-section per verb
            for sub_name, sub in subcommands.items():
                section += self.command_section(f"{name} {sub_name}", sub)
            return section
        parser = build_parser(name, cmd)
        usage = parser.format_usage().strip()
        section += nodes.literal_block(usage, usage)
        rows = argument_rows(parser)
        if rows:
            dlist = nodes.definition_list()
            for label, help_text in rows:
                item = nodes.definition_list_item()
                term = nodes.term()
                term += nodes.literal(text=label)
                item += term
                item += nodes.definition("", nodes.paragraph(text=help_text or "(no help text)"))
                dlist += item
            section += dlist
        return section


def setup(app):
    app.add_directive("command-reference", CommandReference)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
