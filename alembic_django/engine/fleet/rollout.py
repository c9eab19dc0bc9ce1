"""The rollout plan: ordered stages and the failure policy.

``--stage SPEC`` (or ``--canary SPEC``), repeatable, cuts the selected targets into
stages run one after the other: SPEC is a number (the next N targets), a group name
or a glob over target names; whatever is left is the last stage.  Within a stage
``--jobs`` targets run at once.  ``--on-error stop`` (the default) starts nothing new
after a failure; ``continue`` goes on, up to ``--max-failures``; a stage that had a
failure stops the rollout before the next stage (a failed canary stops everything).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import CommandError
from .results import FAILED, NOT_STARTED, TargetResult
from .runner import Job
from .targets import Target


@dataclass
class Stage:
    label: str
    targets: list[Target]


@dataclass
class Policy:
    on_error: str = "stop"
    max_failures: int | None = None

    def __post_init__(self) -> None:
        if self.on_error not in ("stop", "continue"):
            raise CommandError(f"--on-error must be 'stop' or 'continue', not {self.on_error!r}")
        if self.max_failures is not None and self.max_failures < 1:
            raise CommandError(f"--max-failures must be at least 1, not {self.max_failures}")

    def go_on(self, failures: int) -> bool:
        if failures == 0:
            return True
        if self.max_failures is not None:
            return failures < self.max_failures
        return self.on_error == "continue"


def plan_stages(targets: list[Target], specs: list[str] | None,
                groups: dict[str, list[Target]] | None = None) -> list[Stage]:
    """Cut ``targets`` (already in order) into stages per ``specs``."""
    left = list(targets)
    stages: list[Stage] = []
    for spec in specs or ():
        spec = str(spec).strip()
        if spec.isdigit():
            count = int(spec)
            if count < 1:
                raise CommandError(f"--stage {spec}: a stage needs at least one target")
            chosen = left[:count]
        elif groups and spec in groups:
            names = {t.name for t in groups[spec]}
            chosen = [t for t in left if t.name in names]
        else:
            chosen = [t for t in left if fnmatch.fnmatchcase(t.name, spec)
                      or fnmatch.fnmatchcase(t.label, spec)]
        if not chosen:
            raise CommandError(f"--stage {spec}: matches no target not already in a stage")
        taken = {t.name for t in chosen}
        left = [t for t in left if t.name not in taken]
        stages.append(Stage(spec, chosen))
    if left or not stages:
        stages.append(Stage("rest" if stages else "all", left))
    return stages


def execute(stages: list[Stage], make_job: Callable[[Target], Job], executor: Any,
            policy: Policy, report: Callable[[TargetResult], None]) -> tuple[list[TargetResult],
                                                                            bool]:
    """Run the stages; (one result per target in plan order, interrupted)."""
    results: dict[str, TargetResult] = {}
    failures = 0
    stopped = interrupted = False
    for number, stage in enumerate(stages):
        if stopped:
            break
        stage_failures = 0

        def on_done(job: Job, result: TargetResult) -> bool:
            nonlocal failures, stage_failures
            results[job.target.name] = result
            if result.status == FAILED:
                failures += 1
                stage_failures += 1
            report(result)
            return policy.go_on(failures)

        try:
            executor.run([make_job(t) for t in stage.targets], on_done)
        except KeyboardInterrupt:
            interrupted = stopped = True
        if not policy.go_on(failures):
            stopped = True
        if stage_failures and number < len(stages) - 1:
            stopped = True  # a failed stage (a canary) stops the rollout
    ordered = []
    for stage in stages:
        for target in stage.targets:
            ordered.append(results.get(target.name) or TargetResult(target.name,
                                                                    status=NOT_STARTED))
    return ordered, interrupted
