"""Verbs for squashed revisions: ``squash`` writes one, ``squashed`` tells whether a
database still needs the revisions it replaces.

How a squashed revision is seen by the graph and the version table is in
:mod:`..script.replaces`; how its file is written, in :mod:`..script.squash`.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import CommandError
from ..registry import command
from ..script.directory import Script, ScriptDirectory


class ReplacedStillNeeded(CommandError):
    """A database is inside a squashed range: the replaced revisions are still needed."""

    exit_code = 1


def _one(script: ScriptDirectory, ident: str) -> Script:
    """The one revision ``ident`` names (any form: id, prefix, label, head, head-2 ...)."""
    from ..script.directory import _graph_errors

    with _graph_errors():
        revs = [r for r in script.revision_map.parse_upgrade_target((), ident) if r is not None]
    if len(revs) != 1:
        named = ", ".join(r.revision for r in revs) or "no revision"
        raise CommandError(f"squash needs one revision at each end of the range; {ident!r} "
                           f"names {named}")
    return revs[0]


def _chain(script: ScriptDirectory, start: str, end: str) -> list[Script]:
    """START .. END, oldest first: a line of descent with no merge above START and no
    branch below END."""
    first, last = _one(script, start), _one(script, end)
    chain = [last]
    current = last
    while current.revision != first.revision:
        parents = current._versioned_down_revisions
        if not parents:
            raise CommandError(f"Revision {first.revision} is not an ancestor of "
                               f"{last.revision}: squash START END needs START below END")
        if len(parents) > 1:
            raise CommandError(
                f"Revision {current.revision} merges {', '.join(parents)}: a squashed range "
                "cannot contain a merge point above its first revision (squash the "
                "revisions above or below it)")
        current = script.get_revision(parents[0])
        chain.append(current)
    chain.reverse()
    if len(chain) < 2:
        raise CommandError(f"Nothing to squash: {start!r} and {end!r} are the same revision "
                           f"({first.revision})")
    for rev, following in zip(chain, chain[1:], strict=False):
        others = sorted(set(rev._all_nextrev) - {following.revision})
        if others:
            raise CommandError(
                f"Revision {rev.revision} is a branch point inside the range (it also leads "
                f"to {', '.join(others)}): squash a range without branch points, or end the "
                f"range at {rev.revision}")
    for rev in chain:
        if getattr(rev, "replaces", None):
            raise CommandError(f"Revision {rev.revision} is itself a squashed revision: squashing "
                               "it again is not supported (squash the ranges next to it)")
        if not rev.path or rev.path.endswith((".pyc", ".pyo")):
            raise CommandError(f"Revision {rev.revision}: no source file to squash ({rev.path})")
    return chain


def _outside_dependencies(script: ScriptDirectory, chain: list[Script]) -> list[str]:
    ids = {rev.revision for rev in chain}
    out: list[str] = []
    for rev in chain:
        deps = rev.dependencies
        for dep in ((deps,) if isinstance(deps, str) else (deps or ())):
            target = script.get_revision(dep)
            if target is not None and target.revision in ids:
                continue
            if dep not in out:
                out.append(dep)
    return out


@command
def squash(config: Any, start: str, end: str, message: str | None = None,
           rev_id: str | None = None) -> Script:
    """Squash the revisions from START to END into one revision that replaces them.

    Like Django's squashmigrations: the new revision carries the code of every
    revision of the range (copied verbatim, data migrations and op.execute included)
    and lists them in 'replaces'. A new database runs it; a database inside the range
    runs the remaining original revisions and is then recorded at it. Delete the
    original files once 'squashed' reports them unneeded on every database.

    :param start: the oldest revision of the range (any identifier form)
    :param end: the newest revision of the range (any identifier form)
    :param message: string message to apply to the revision (default: 'squashed START to END')
    :param rev_id: specify a hardcoded revision id instead of generating one
    """
    from ..script import squash as render
    from ..script.generate import create_date, rev_path, verify_rev_id
    from ..util.files import write_atomic
    from .scripts import new_rev_id

    script = ScriptDirectory.from_config(config)
    chain = _chain(script, start, end)
    first, last = chain[0], chain[-1]
    revid = rev_id or new_rev_id()
    verify_rev_id(revid)
    try:
        existing = script.with_originals().get_revision(revid)
    except CommandError:
        existing = None
    if existing is not None and existing.revision == revid:
        raise CommandError(f"Revision {revid} already exists")
    labels: list[str] = []
    for rev in chain:
        labels.extend(label for label in rev._orig_branch_labels if label not in labels)
    message = message or f"squashed {first.revision} to {last.revision}"
    when = create_date(script.timezone)
    originals = [render.Original(rev.revision, rev.path, render.read_source(rev.path), rev.doc)
                 for rev in chain]
    text = render.render(revid, first.down_revision, labels,
                         _outside_dependencies(script, chain), originals, message, when)
    path = rev_path(script, os.path.dirname(os.path.abspath(last.path)), revid, message, when)
    try:
        write_atomic(path, text, encoding=script.output_encoding, overwrite=False)
    except FileExistsError:
        raise CommandError(f"File {path} already exists; not overwriting it") from None
    config.print_stdout("Generating %s ...  done", path)
    if script.hooks:
        from ..script.write_hooks import run_hooks

        try:
            run_hooks(path, script.hooks, status=config.print_stdout)
        except CommandError as exc:
            raise CommandError(f"{exc} (the squashed revision {path} was written and kept)") \
                from exc
    new = script._script_from_path(path)
    if new is None or tuple(new.replaces) != tuple(r.revision for r in chain):
        raise CommandError(f"Could not read back the squashed revision {path}")
    script._add_script(new)
    config.print_stdout("Squashed %d revisions (%s to %s) into %s.", len(chain),
                        first.revision, last.revision, revid)
    config.print_stdout("A new database runs %s; a database inside the range runs the "
                        "remaining revisions, then is recorded at %s.", revid, revid)
    config.print_stdout("Keep the replaced files until 'squashed' reports them unneeded on "
                        "every database.")
    return new


@command
def squashed(config: Any) -> None:
    """Show squashed revisions and whether this database still needs the ones they replace.

    Exits with status 1 while the database is inside a squashed range (it still runs
    the replaced revisions); once every database says 'not needed', the replaced
    revision files can be deleted.
    """
    from .database import read_current_heads

    script = ScriptDirectory.from_config(config)
    found = script.squashes
    if not found:
        config.print_stdout("No squashed revisions.")
        return
    heads = read_current_heads(config, script)
    present = {s.revision for s in script._all_scripts()}
    needed = []
    for sq in found:
        files = sum(1 for rid in sq.replaces if rid in present)
        inside = [h for h in heads if h in sq.inner]
        state = (f"needed: the database is at {', '.join(inside)}, inside the range; "
                 "'upgrade' takes it past" if inside else "not needed by this database")
        config.print_stdout("%s replaces %d revisions (%s to %s; %d files present): %s",
                            sq.revision, len(sq.replaces), sq.replaces[0], sq.end, files, state)
        if inside:
            needed.append(sq.revision)
    if needed:
        raise ReplacedStillNeeded(
            f"The revisions {', '.join(needed)} replace are still needed by this database")
