"""alembic-django: an Alembic-compatible migration tool for Django and SQLAlchemy.

Importing this package is cheap: it imports neither Django nor SQLAlchemy.
``from alembic_django import context, op`` loads the env.py proxies on demand.
"""

__version__ = "0.1.0"
#: the Alembic release whose documented behaviour this package follows
ALEMBIC_COMPATIBLE = "1.20.1"
