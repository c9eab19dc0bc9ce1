"""Which logger the engine's INFO lines go to."""

from __future__ import annotations

import logging


def engine_logger(suffix: str) -> logging.Logger:
    """``alembic_django.<suffix>`` -- unless only an unmodified Alembic logging config is
    in place (``[logger_alembic]`` with ``qualname = alembic``), in which case
    ``alembic.<suffix>``, so an Alembic project keeps seeing its INFO lines."""
    ours = logging.getLogger("alembic_django")
    if ours.level == logging.NOTSET and not ours.handlers:
        theirs = logging.getLogger("alembic")
        if theirs.level != logging.NOTSET or theirs.handlers:
            return logging.getLogger(f"alembic.{suffix}")
    return logging.getLogger(f"alembic_django.{suffix}")
