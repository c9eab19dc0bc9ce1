"""Writing a new revision file: file name from file_template, body from script.py.mako."""

from __future__ import annotations

import datetime
import os
import re
from typing import TYPE_CHECKING, Any

from ..errors import CommandError
from ..util.files import write_atomic
from . import revision as _rev
from .directory import Script, format_as_comma, tuple_rev_as_scalar

if TYPE_CHECKING:
    from .directory import ScriptDirectory

_SLUG = re.compile(r"\w+")
_ID_CHAR = re.compile(r"\w")


def _shown(text: str) -> str:
    """``text`` for a one-line message (control characters escaped)."""
    return text if text.isprintable() else repr(text)[1:-1]


def verify_rev_id(revid: Any) -> None:
    """A revision id that is written into a file name: letters, digits and underscores.

    That keeps the file inside its version location (no separators, no ``..``) and
    the id usable in the identifier grammar (Alembic forbids ``@ - + :``; the text for
    those is Alembic's).
    """
    if not isinstance(revid, str) or not revid:
        raise CommandError(f"Revision id {revid!r} is not valid: it must be a non-empty string "
                           "of letters, digits and underscores")
    illegal = sorted({c for c in revid if not _ID_CHAR.match(c)})
    if illegal:
        raise CommandError(
            f"Character(s) '{_shown(', '.join(illegal))}' not allowed in revision identifier "
            f"'{_shown(revid)}' (revision ids written to files are letters, digits and "
            "underscores)"
        )


def _inside(path: str, directory: str) -> bool:
    """True when ``path`` (resolved) is strictly inside ``directory`` (resolved)."""
    real_dir = os.path.realpath(directory)
    real = os.path.realpath(path)
    return real != real_dir and os.path.commonpath([real_dir, real]) == real_dir




def slugify(message: str | None, length: int) -> str:
    slug = "_".join(_SLUG.findall(message or "")).lower()
    if len(slug) > length:
        slug = slug[:length].rsplit("_", 1)[0] + "_"
    return slug


def rev_path(directory: ScriptDirectory, dest_dir: str, rev_id: str, message: str | None,
             when: datetime.datetime, file_template: str | None = None) -> str:
    slug = slugify(message, directory.truncate_slug_length)
    tokens = {
        "rev": rev_id, "slug": slug, "epoch": int(when.timestamp()), "year": when.year,
        "month": when.month, "day": when.day, "hour": when.hour, "minute": when.minute,
        "second": when.second,
    }
    template = file_template or directory.file_template
    try:
        filename = "%s.py" % (template % tokens)
    except (KeyError, ValueError, TypeError) as exc:
        raise CommandError(
            f"file_template {template!r} is invalid: {exc}; tokens are "
            "rev, slug, epoch, year, month, day, hour, minute, second"
        ) from None
    return os.path.join(dest_dir, filename)


def render_template(template_path: str, output_path: str, encoding: str, **kw: Any) -> None:
    """Render ``script.py.mako`` into a new file (never overwriting one)."""
    from ..util.pyfiles import render_mako

    text = render_mako(template_path, **kw)
    os.makedirs(os.path.dirname(output_path), exist_ok=True)
    try:
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        write_atomic(output_path, text, encoding=encoding, overwrite=False)
    except FileExistsError:
        raise CommandError(f"File {output_path} already exists; not overwriting it") from None
    except (OSError, UnicodeError) as exc:
        reason = (exc.strerror if isinstance(exc, OSError) else None) or exc
        raise CommandError(f"Cannot write {output_path}: {reason}") from None


def generate_revision(directory: ScriptDirectory, revid: str, message: str | None,
                      head: Any = None, splice: bool = False, branch_labels: Any = None,
                      version_path: str | None = None, file_template: str | None = None,
                      depends_on: Any = None, refresh: bool = False, **kw: Any) -> Script:
    from .directory import _graph_errors

    if head is None:
        head = "head"
    verify_rev_id(revid)
    rmap = directory.revision_map
    with _graph_errors(
        multiple_heads="Multiple heads are present; please specify the head revision on which "
        "the new revision should be based, or perform a merge."
    ):
        heads = list(rmap.get_revisions(head))
    if _lookup_exact(rmap, revid):
        raise CommandError(f"Revision {revid} already exists")
    if len(set(heads)) != len(heads):
        raise CommandError("Duplicate head revisions specified")
    when = directory._generate_create_date()
    locations = directory._version_locations
    if version_path is None:
        if len(locations) > 1:
            for h in heads:
                if h is not None:
                    version_path = os.path.dirname(h.path)
                    break
            else:
                raise CommandError("Multiple version locations present, please specify "
                                   "--version-path")
        else:
            version_path = directory.versions
    norm = os.path.normpath(os.path.abspath(version_path))
    for loc in locations:
        if _same_dir(loc, norm) or (directory.recursive_version_locations
                                    and (_inside(norm, loc) or norm.startswith(
                                        os.path.normpath(loc) + os.sep))):
            break
    else:
        raise CommandError(f"Path {version_path} is not represented in current version locations")
    if not splice:
        for h in heads:
            if h is not None and not h.is_head:
                raise CommandError(
                    f"Revision {h.revision} is not a head revision; please specify --splice "
                    "to create a new branch from this revision"
                )
    resolved_deps = None
    if depends_on:
        resolved_deps = []
        deps = [depends_on] if isinstance(depends_on, str) else list(depends_on)
        for dep in deps:
            with _graph_errors():
                rev = rmap.get_revision(dep)
            if rev is None:
                raise CommandError(f"Can't locate revision identified by {dep!r}")
            resolved_deps.append(dep if dep in (rev.branch_labels or ()) else rev.revision)
    labels = None
    if branch_labels:
        labels = (branch_labels,) if isinstance(branch_labels, str) else tuple(branch_labels)
        for label in labels:  # Alembic writes the file, then fails on every later command
            other = rmap._revision_map.get(label)
            if other is not None:
                raise CommandError(f"Branch name '{label}' in revision {revid} already used by "
                                   f"revision {other.revision}")
    path = rev_path(directory, norm, revid, message, when, file_template)
    if not (_inside(path, norm) and _inside(path, loc)):
        raise CommandError(
            f"Refusing to write {path}: it resolves to {os.path.realpath(path)}, outside the "
            f"version location {loc} (check file_template and --version-path)"
        )
    render_template(
        os.path.join(directory.dir, "script.py.mako"), path, directory.output_encoding,
        up_revision=str(revid),
        down_revision=tuple_rev_as_scalar(tuple(h.revision for h in heads if h is not None)),
        branch_labels=labels,
        depends_on=tuple_rev_as_scalar(resolved_deps),
        create_date=when,
        comma=format_as_comma,
        message=message if message is not None else "empty message",
        **kw,
    )
    if directory.config is not None:
        directory.config.print_stdout("Generating %s ...  done", path)
    if directory.hooks:
        from .write_hooks import run_hooks

        try:
            status = directory.config.print_stdout if directory.config is not None else None
            run_hooks(path, directory.hooks, status=status)
        except CommandError as exc:
            raise CommandError(f"{exc} (the revision file {path} was written and kept)") from exc
    script = directory._script_from_path(path)
    if script is None:
        raise CommandError(f"Could not read back the new revision file {path}")
    if labels and not script.branch_labels:
        raise CommandError(
            f"Version {script.revision} specified branch_labels {format_as_comma(labels)}, "
            f"however the migration file {path} does not have them; have you upgraded your "
            "script.py.mako to include the 'branch_labels' section?"
        )
    directory._add_script(script)
    return script


def _same_dir(a: str, b: str) -> bool:
    return os.path.normpath(a) == os.path.normpath(b) or os.path.realpath(a) == os.path.realpath(b)


def _lookup_exact(rmap: Any, revid: str) -> bool:
    try:
        rev = rmap.get_revision(revid)
    except _rev.RevisionError:
        return False
    return rev is not None and rev.revision == revid
