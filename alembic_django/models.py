"""Intentionally empty.

Django emits ``post_migrate`` only for apps that have a models module; the
test-database hook in :mod:`alembic_django.apps` listens to it.
"""
