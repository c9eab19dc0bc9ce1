"""Shell completion of ``manage.py alembic <TAB>`` through Django's own protocol.

Django's bash completion (``extras/django_bash_completion``) runs ``manage.py`` with
``DJANGO_AUTO_COMPLETE=1``, ``COMP_WORDS`` and ``COMP_CWORD``;
``ManagementUtility.autocomplete()`` then asks the command for its parser
(``create_parser("", "alembic")``) and prints the option strings of its actions that
start with the word being completed.  Subcommands are not options, so for completion
the command hands Django a parser whose actions are what may come next:

* before a subcommand: the subcommand names and the options of ``manage.py alembic``;
* after one: that subcommand's options (``upgrade --sql``, ``--tag=`` ...).
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _words() -> tuple[list[str], int]:
    """The words after ``manage.py`` and the index (in them) of the word completed."""
    words = os.environ.get("COMP_WORDS", "").split()[1:]
    try:
        cword = int(os.environ.get("COMP_CWORD", "0"))
    except ValueError:
        cword = 0
    return words, cword - 1


def _subcommand(parser: argparse.ArgumentParser, before: list[str], names: set[str]) -> str | None:
    """The first subcommand among ``before`` (skipping the values of options)."""
    takes_value = {flag for action in parser._actions if action.option_strings
                   and action.nargs != 0 for flag in action.option_strings}
    skip = False
    for word in before:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in takes_value  # "--name default"; "--name=default" needs no skip
            continue
        if word in names:
            return word
    return None


def _action(name: str) -> argparse.Action:
    return argparse.Action(option_strings=[name], dest=name, nargs=0)


def completion_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser | None:
    """The parser Django's completion should see, or None when not completing."""
    if "DJANGO_AUTO_COMPLETE" not in os.environ:
        return None
    words, current = _words()
    if not words or current < 1:
        return None
    subparsers = _subparsers(parser)
    sub = _subcommand(parser, words[1:current], set(subparsers))
    offered = argparse.ArgumentParser(add_help=False)
    if sub is None:
        actions: list[Any] = [_action(name) for name in sorted(subparsers)]
        actions += [a for a in parser._actions if a.option_strings and a.help != argparse.SUPPRESS
                    and not isinstance(a, argparse._HelpAction)]
    else:
        actions = [a for a in subparsers[sub]._actions if a.option_strings
                   and a.help != argparse.SUPPRESS and not isinstance(a, argparse._HelpAction)]
    offered._actions = actions
    return offered
