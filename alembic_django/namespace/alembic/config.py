"""``alembic.config``: ``Config``, ``CommandLine`` and ``main``."""

from ...config import CommandFunction, CommandLine, Config, MessagingOptions, main
from . import command  # noqa: F401  (Alembic's module imports it too)

__all__ = ["CommandFunction", "CommandLine", "Config", "MessagingOptions", "main"]
