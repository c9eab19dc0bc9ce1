"""The fleet layer: one command over many targets (tenant schemas, databases).

It sits above the command verbs and beside nothing else: :mod:`.targets` (targets
and groups), :mod:`.rollout` (stages, failure policy), :mod:`.executors` (threads,
processes) and :mod:`.celery_exec` (Celery), :mod:`.runner` (one verb on one
target), :mod:`.results` (statuses, table, JSON), :mod:`.verbs` (the ``fleet``
command group).  No Django in here: the Django side only supplies targets and
resolvers through ``config.attributes``.  Celery is imported only when used.
"""

from .results import FleetFailed, FleetInterrupted, TargetResult
from .targets import Target

__all__ = ["FleetFailed", "FleetInterrupted", "Target", "TargetResult"]
