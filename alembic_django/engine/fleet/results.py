"""The result of one target, and how a run's results are shown.

Statuses: ``migrated`` (steps ran), ``up-to-date`` (already at the goal: one read of
its version table), ``failed`` (``error`` says why), ``not-started`` (the rollout
stopped first: a failure with ``--on-error stop``, ``--max-failures``, a failed
stage, or Ctrl-C).  ``fleet current`` also reports ``behind``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import CommandError

MIGRATED = "migrated"
UP_TO_DATE = "up-to-date"
FAILED = "failed"
NOT_STARTED = "not-started"
BEHIND = "behind"
OK = (MIGRATED, UP_TO_DATE)


@dataclass
class TargetResult:
    """What happened to one target (``fleet ... --json`` prints a list of these)."""

    target: str
    from_: str | None = None
    to: str | None = None
    steps: int = 0
    seconds: float = 0.0
    status: str = NOT_STARTED
    error: str | None = None
    output: str = ""  # what the target's own command printed (``--sql`` file path ...)

    @property
    def ok(self) -> bool:
        return self.status in OK

    def as_json(self) -> dict[str, Any]:
        return {"target": self.target, "from": self.from_, "to": self.to,
                "steps": self.steps, "seconds": round(self.seconds, 4),
                "status": self.status, "error": self.error}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def heads_text(heads: Any) -> str | None:
    """``("a", "b")`` -> ``"a, b"``; no heads -> None (base)."""
    heads = tuple(heads or ())
    return ", ".join(sorted(heads)) if heads else None


class FleetFailed(CommandError):
    """Some targets did not reach the goal (exit 1); ``results`` holds every target's."""

    exit_code = 1

    def __init__(self, message: str, results: list[TargetResult]) -> None:
        super().__init__(message)
        self.results = results


class FleetInterrupted(FleetFailed):
    """Ctrl-C: running targets finished, the others were not started (exit 130)."""

    exit_code = 130


def failure_message(results: list[TargetResult], verb: str) -> str:
    failed = [r for r in results if r.status == FAILED]
    behind = [r for r in results if r.status == BEHIND]
    not_started = [r for r in results if r.status == NOT_STARTED]
    parts = []
    if failed:
        names = ", ".join(r.target for r in failed[:10]) + (" ..." if len(failed) > 10 else "")
        first = failed[0].error or ""
        parts.append(f"{len(failed)} of {len(results)} targets failed ({names})"
                     + (f"; {failed[0].target}: {first}" if first else ""))
    if behind:
        parts.append(f"{len(behind)} behind")
    if not_started:
        parts.append(f"{len(not_started)} not started")
    return f"fleet {verb}: " + "; ".join(parts)


# -- rendering ----------------------------------------------------------------------
def to_json(results: list[TargetResult]) -> str:
    return json.dumps([r.as_json() for r in results], indent=2)


def table(results: list[TargetResult],
          columns: tuple[str, ...] = ("target", "from", "to", "steps", "seconds", "status"),
          titles: dict[str, str] | None = None) -> str:
    """The final table (an ``error`` column only when some target has one)."""
    def cell(r: TargetResult, col: str) -> str:
        if col == "from":
            return r.from_ or "<base>"
        if col == "to":
            return r.to or "<base>"
        if col == "seconds":
            return f"{r.seconds:.2f}"
        if col == "behind":
            return str(r.steps)
        value = getattr(r, col)
        return "" if value is None else str(value)

    cols = list(columns)
    if any(r.error for r in results):
        cols.append("error")
    rows = [[cell(r, c) for c in cols] for r in results]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(cols)]
    heads = [(titles or {}).get(c, c) for c in cols]
    widths = [max(w, len(h)) for w, h in zip(widths, heads, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append(", ".join(f"{n} {status}" for status, n in counts.items())
                 + f" ({len(results)} targets)")
    return "\n".join(lines)


class Progress:
    """A line per finished target; on a TTY also a bar with done / failed / left.

    Called from the thread that drives the run only (executors report there).
    """

    def __init__(self, config: Any, total: int, quiet: bool = False) -> None:
        self.config = config
        self.total = total
        self.done = 0
        self.failed = 0
        self.quiet = quiet or bool(getattr(config.cmd_opts, "quiet", False))
        stream = config.stdout
        self.tty = not self.quiet and bool(getattr(stream, "isatty", lambda: False)())
        self._bar_shown = False

    def _write(self, text: str) -> None:
        out = self.config.stdout
        if hasattr(out, "style_func"):  # Django's OutputWrapper adds a newline unless told
            out.write(text, ending="")
        else:
            out.write(text)

    def __call__(self, result: TargetResult) -> None:
        self.done += 1
        if result.status == FAILED:
            self.failed += 1
        if self.quiet:
            return
        out = self.config.stdout
        if self._bar_shown:
            self._write("\r\033[K")
        line = f"{result.status:<11} {result.target}"
        if result.status in (*OK, FAILED, BEHIND):
            line += f"  {result.from_ or '<base>'} -> {result.to or '<base>'}"
            if result.status == BEHIND:
                line += f"  (behind by {result.steps})"
            else:
                line += f"  ({result.steps} step{'s' if result.steps != 1 else ''}, " \
                        f"{result.seconds:.2f} s)"
        if result.error:
            line += f"  {result.error}"
        self._write(line + "\n")
        if self.tty:
            self._bar()
        out.flush()

    def _bar(self) -> None:
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        left = self.total - self.done
        self._write(f"[{'#' * filled}{'.' * (width - filled)}] {self.done} done, "
                                 f"{self.failed} failed, {left} left")
        self._bar_shown = True

    def finish(self) -> None:
        if self._bar_shown:
            self._write("\r\033[K")
            self.config.stdout.flush()
            self._bar_shown = False
