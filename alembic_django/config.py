"""``from alembic_django.config import Config`` (as ``from alembic.config import Config``).

``CommandLine`` and :func:`main` behave as Alembic's: ``main(argv)`` runs one
command and, on a ``CommandError``, prints ``FAILED: ...`` and exits 255.  The
``alembic-django`` console script uses :func:`alembic_django.cli.main`, which
returns the exit code instead.
"""

from typing import Any

from . import command  # noqa: F401  (Alembic's alembic.config.command)
from .cli import CommandLine
from .engine.config import Config

__all__ = ["CommandFunction", "CommandLine", "Config", "MessagingOptions", "main"]


class MessagingOptions(dict):
    """The messaging options (``{"quiet": bool}``) of ``Config.messaging_opts``."""


class CommandFunction:
    """What :meth:`CommandLine.register_command` accepts: ``fn(config, *args, **kw)``
    with a ``__name__`` (a protocol, for type annotations)."""

    __name__: str

    def __call__(self, config: Config, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


def main(argv: Any = None, prog: str | None = None, **kwargs: Any) -> None:
    """Run the command line with ``argv`` (Alembic's ``alembic.config.main``)."""
    CommandLine(prog=prog).main(argv=argv)
