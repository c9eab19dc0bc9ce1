"""``from alembic_django.config import Config`` (as ``from alembic.config import Config``)."""

from .engine.config import Config

__all__ = ["Config", "main"]


def main(argv=None, prog=None, **kwargs):
    """Run the standalone command line (Alembic's ``alembic.config.main``)."""
    from .cli import main as _main

    return _main(argv, prog=prog, **kwargs)
