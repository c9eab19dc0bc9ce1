"""Helpers for testing migrations (importable without Django).

``MigrationRunner`` drives one environment step by step; with Django,
:func:`alembic_django.testing.django.runner` builds one from ``settings.ALEMBIC``.
The pytest plugin exposes them as the ``alembic_config`` and ``alembic_runner``
fixtures.
"""

from .runner import MigrationRunner

__all__ = ["MigrationRunner"]
