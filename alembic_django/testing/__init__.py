"""Helpers for testing migrations (importable without Django).

``MigrationRunner`` drives one environment step by step and offers pytest-alembic's
checks; with Django, :func:`alembic_django.testing.django.runner` builds one from
``settings.ALEMBIC`` that only ever runs on Django's test databases.  The pytest plugin
exposes them as the ``alembic_django_url``, ``alembic_django_config`` and
``alembic_django_runner`` fixtures; :mod:`alembic_django.testing.tests` holds the
ready-made tests.
"""

from .runner import MigrationRunner

__all__ = ["MigrationRunner"]
