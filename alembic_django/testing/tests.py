"""pytest-alembic's ready-made checks, on the ``alembic_django_runner`` fixture.

Import them into a test module to run them::

    from alembic_django.testing.tests import *  # noqa: F401,F403

Each runs on the environment the fixtures select (Django's test database, or the URL of
``alembic_django_url``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["test_single_head_revision", "test_upgrade", "test_up_down_consistency",
           "test_model_definitions_match_ddl"]


def test_single_head_revision(alembic_django_runner: Any) -> None:
    """The revision history has exactly one head."""
    alembic_django_runner.check_single_head()


def test_upgrade(alembic_django_runner: Any) -> None:
    """Every revision applies, one at a time, from base to heads."""
    alembic_django_runner.check_upgrade()


def test_up_down_consistency(alembic_django_runner: Any) -> None:
    """Every revision's downgrade runs and removes it."""
    alembic_django_runner.check_up_down_consistency()


def test_model_definitions_match_ddl(alembic_django_runner: Any) -> None:
    """target_metadata describes exactly the schema the revisions build."""
    alembic_django_runner.check_model_definitions_match_ddl()
