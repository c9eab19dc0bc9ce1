"""The fleet's Python API: ``fleet.upgrade(config, "heads", tenants=[...], jobs=8)``.

Each verb takes a :class:`~alembic_django.config.Config` first, then what the
``fleet`` command line takes (``tenants`` may be a list), and returns one
:class:`TargetResult` per target; when some target did not reach the goal it raises
:class:`FleetFailed`, whose ``results`` holds them all.
"""

from .engine.fleet.results import FleetFailed, FleetInterrupted, TargetResult
from .engine.fleet.targets import Target
from .engine.fleet.verbs import check, current, downgrade, stamp, upgrade, worker

__all__ = ["FleetFailed", "FleetInterrupted", "Target", "TargetResult", "check", "current",
           "downgrade", "stamp", "upgrade", "worker"]
