"""The fleet's Celery task for a project's own Celery app.

A Django project whose Celery app calls ``app.autodiscover_tasks()`` finds this
module (``alembic_django`` is an installed app), so ``celery -A proj worker -Q
alembic_django.fleet`` runs fleet targets; other apps import it (``include=
["alembic_django.tasks"]``).  Needs the extra ``alembic-django[celery]``.
"""

from celery import shared_task

from .engine.fleet.celery_exec import run_target_task, task_options

run_target = shared_task(**task_options())(run_target_task)
