"""``ScriptDirectory`` and ``Script``: the revision files of one environment.

Reading the graph never executes revision modules: headers come from the
:mod:`.parse` AST reader through the :mod:`.cache` index.  A module is executed
only when a migration runs, when ``show`` needs it, or when its identifiers are
not literals.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import os
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import CommandError, RevisionCommandError
from ..util.langhelpers import not_none  # noqa: F401  (Alembic's import path)
from ..util.messaging import format_as_comma
from . import replaces as _replaces
from . import revision as _rev
from .cache import IndexCache
from .parse import NotARevision, header_from_module, read_header
from .revision_node import tuple_rev_as_scalar  # noqa: F401  (used by generate)

#: ``config.attributes`` key of a ScriptDirectory shared by many runs (see from_config)
SHARED = "alembic_django.script_directory"

_SOURCE = re.compile(r"(?!\.\#|__init__)(.*\.py)$")
_SOURCELESS = re.compile(r"(?!\.\#|__init__)(.*?)(\.cpython-\d+)?\.py[co]$")
_LEGACY_REV = re.compile(r"([a-f0-9]+)\.py[co]?$")


class Script(_rev.Revision):
    """One revision file."""

    def __init__(self, directory: ScriptDirectory, path: str, header: dict[str, Any],
                 module: Any = None) -> None:
        self.directory = directory
        self.path = path
        self._module = module
        self._longdoc = header.get("doc") or ""
        self._db_current_indicator = False
        #: the revisions a squashed revision stands for, oldest first (``squash``)
        self.replaces: tuple[str, ...] = tuple(header.get("replaces") or ())
        super().__init__(
            header["revision"],
            header["down_revision"],
            dependencies=header.get("depends_on"),
            branch_labels=header.get("branch_labels"),
        )

    @property
    def module(self) -> Any:
        """The executed module (executed on first use, once even when threads that
        share this directory ask for it at the same time)."""
        if self._module is None:
            with self.directory._module_lock:
                if self._module is None:
                    from ..util.modules import load_file_as_module

                    self._module = load_file_as_module(self.path)
        return self._module

    @property
    def longdoc(self) -> str:
        return self._longdoc.strip()

    @property
    def doc(self) -> str:
        return re.split("\n\n", self.longdoc)[0]

    @property
    def _is_real_head(self) -> bool:
        return not self._all_nextrev

    def _format_down_revision(self) -> str:
        down = self._versioned_down_revisions
        if not down:
            return "<base>"
        return format_as_comma(down)

    @property
    def log_entry(self) -> str:
        entry = "Rev: {}{}{}{}{}\n".format(
            self.revision,
            " (head)" if self.is_head else "",
            " (branchpoint)" if self.is_branch_point else "",
            " (mergepoint)" if self.is_merge_point else "",
            " (current)" if self._db_current_indicator else "",
        )
        if self.is_merge_point:
            entry += f"Merges: {self._format_down_revision()}\n"
        else:
            entry += f"Parent: {self._format_down_revision()}\n"
        deps = _rev_tuple(self.dependencies)
        if deps:
            entry += f"Also depends on: {format_as_comma(deps)}\n"
        if self.replaces:
            entry += f"Replaces: {format_as_comma(self.replaces)}\n"
        if self.is_branch_point:
            entry += f"Branches into: {format_as_comma(sorted(self.nextrev))}\n"
        if self.branch_labels:
            entry += f"Branch names: {format_as_comma(sorted(self.branch_labels))}\n"
        entry += f"Path: {self.path}\n"
        entry += "\n{}\n".format("\n".join(f"    {line}" for line in self.longdoc.splitlines()))
        return entry

    def cmd_format(self, verbose: bool, include_branches: bool = False, include_doc: bool = False,
                   include_parents: bool = False, tree_indicators: bool = True,
                   head_indicators: bool = True) -> str:
        if verbose:
            return self.log_entry
        text = self.revision
        if include_parents:
            deps = _rev_tuple(self.dependencies)
            if deps:
                text = f"{self._format_down_revision()} ({format_as_comma(deps)}) -> {text}"
            else:
                text = f"{self._format_down_revision()} -> {text}"
        if include_branches and self.branch_labels:
            text += f" ({format_as_comma(sorted(self.branch_labels))})"
        if head_indicators or tree_indicators:
            real_head = self._is_real_head
            text += "{}{}{}".format(
                " (head)" if real_head else "",
                " (effective head)" if self.is_head and not real_head else "",
                " (current)" if self._db_current_indicator else "",
            )
        if tree_indicators:
            text += "{}{}".format(
                " (branchpoint)" if self.is_branch_point else "",
                " (mergepoint)" if self.is_merge_point else "",
            )
        if include_doc:
            text += f", {self.doc}"
        return text

    def __repr__(self) -> str:
        return f"Script(revision={self.revision!r}, path={self.path!r})"

    @classmethod
    def _from_path(cls, scriptdir: ScriptDirectory, path: str | os.PathLike) -> Script | None:
        """Read the revision file at ``path`` afresh (None when it is not one)."""
        return scriptdir._script_from_path(os.fspath(path))


def _rev_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@contextlib.contextmanager
def _graph_errors(multiple_heads: str | None = None) -> Iterator[None]:
    """Translate graph errors into user-facing errors: the one place that does it."""
    try:
        yield
    except _rev.MultipleHeads as exc:
        if multiple_heads:
            raise RevisionCommandError(multiple_heads) from exc
        raise RevisionCommandError(str(exc)) from exc
    except _rev.ResolutionError as exc:
        detail = " ".join(str(exc).split())
        message = f"Can't locate revision identified by '{exc.argument}'"
        if "four characters" in detail:  # Alembic's text, the hint as parenthesised detail
            message += (" (please ensure at least four characters are present for partial "
                        "revision identifier matches)")
        elif detail and not detail.startswith("No such revision or branch"):
            message += f" ({detail})"
        raise RevisionCommandError(message) from exc
    except _rev.RevisionError as exc:
        raise RevisionCommandError(str(exc)) from exc


def _refuse_graph_problem(error: _rev.RevisionError) -> None:
    """A graph read from files may not hold duplicate ids or dangling references.

    (A bare :class:`RevisionMap` only warns, as Alembic's does; here every command
    that builds the graph from files -- heads, history, upgrade, revision... -- stops
    with one line naming the files.)
    """
    if isinstance(error, _rev.DuplicateRevision):
        first = getattr(error.first, "path", None)
        second = getattr(error.second, "path", None)
        where = f": {first} and {second}" if first and second else ""
        raise RevisionCommandError(f"{error}{where}") from None
    if isinstance(error, _rev.MissingRevision):
        path = getattr(error.referenced_from, "path", None)
        where = f" ({error.key} in {path})" if path else f" ({error.key})"
        raise RevisionCommandError(f"{error}{where}") from None
    raise RevisionCommandError(str(error)) from None


class ScriptDirectory:
    """The scripts of one environment: env.py, script.py.mako and the version locations."""

    def __init__(self, dir: str, file_template: str = "%(rev)s_%(slug)s",
                 truncate_slug_length: int | None = 40, version_locations: list[str] | None = None,
                 sourceless: bool = False, output_encoding: str = "utf-8", timezone: str | None = None,
                 hooks: list[dict] | None = None, recursive_version_locations: bool = False,
                 messaging_opts: Any = None) -> None:
        self.dir = dir
        self.file_template = file_template
        self.truncate_slug_length = truncate_slug_length or 40
        self.version_locations = version_locations
        self.sourceless = sourceless
        self.output_encoding = output_encoding
        self.timezone = timezone
        self.hooks = hooks or []
        self.recursive_version_locations = recursive_version_locations
        self.messaging_opts = messaging_opts
        self.config: Any = None
        self._module_lock = threading.RLock()
        self._env_code: dict = {}  # env.py compiled once (a fleet runs it once per target)
        self._generated: dict[str, Script] = {}  # written by generate_revision
        self._reset_map()
        if not os.access(dir, os.F_OK):
            raise CommandError(
                f"Path doesn't exist: {dir}.  Please use the 'init' command to create a new "
                "scripts folder."
            )

    @property
    def versions(self) -> str:
        return self._version_locations[0]

    @property
    def _version_locations(self) -> list[str]:
        if self.version_locations:
            return [os.path.abspath(os.path.expanduser(p)) for p in self.version_locations]
        return [os.path.abspath(os.path.join(self.dir, "versions"))]

    @property
    def env_py_location(self) -> str:
        return os.path.abspath(os.path.join(self.dir, "env.py"))

    @classmethod
    def from_config(cls, config: Any) -> ScriptDirectory:
        """The directory ``config`` describes.  A caller that runs many commands on one
        environment (the fleet) may put a prepared one in ``config.attributes[SHARED]``:
        it is used as is, so revision modules are read and executed once."""
        shared = config.attributes.get(SHARED) if config.attributes else None
        if shared is not None:
            return shared
        from .location import script_directory_options

        paths = config.get_alembic_list_option("prepend_sys_path")
        if paths:
            import sys

            sys.path[:0] = [os.path.abspath(p) for p in paths
                            if os.path.abspath(p) not in sys.path[: len(paths)]]
        directory = cls(**script_directory_options(config))
        directory.config = config
        return directory

    # -- loading -----------------------------------------------------------------
    def _files(self, location: str) -> Iterator[str]:
        if not os.path.isdir(location):
            return
        if self.recursive_version_locations:
            for root, dirs, files in os.walk(location):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__" or self.sourceless)
                for name in sorted(files):
                    yield os.path.join(root, name)
        else:
            names = sorted(os.listdir(location))
            for name in names:
                yield os.path.join(location, name)
            if self.sourceless and "__pycache__" in names:
                cache = os.path.join(location, "__pycache__")
                for name in sorted(os.listdir(cache)):
                    yield os.path.join(cache, name)

    def _candidates(self, location: str) -> Iterator[str]:
        for path in self._files(location):
            name = os.path.basename(path)
            if _SOURCE.match(name):
                yield path
            elif self.sourceless and _SOURCELESS.match(name):
                m = _SOURCELESS.match(name)
                parent = os.path.dirname(path)
                if os.path.basename(parent) == "__pycache__":
                    parent = os.path.dirname(parent)
                if not os.path.exists(os.path.join(parent, m.group(1) + ".py")):
                    yield path

    def _load_revisions(self) -> Iterator[Script]:
        seen: set[str] = set()
        files: set[str] = set()
        for location in self._version_locations:
            real = os.path.realpath(location)
            if real in seen:
                continue
            seen.add(real)
            cache = IndexCache(location)
            try:
                for path in self._candidates(location):
                    real_file = os.path.realpath(path)
                    if real_file in files:  # nested / linked locations: one file, read once
                        continue
                    files.add(real_file)
                    script = self._script_from_path(path, cache, location)
                    if script is not None:
                        yield script
            finally:
                cache.save()

    # -- views: squashed revisions (see .replaces) ---------------------------------
    def _reset_map(self) -> None:
        self._scripts: list[Script] | None = None
        self._squashes: list[_replaces.Squash] | None = None
        self._replaced: _replaces.Replaced | None = None
        # the graph of the files: a duplicate id or a dangling parent refuses to build
        self.revision_map = _rev.RevisionMap(self._default_revisions, self._default_replaced,
                                             on_problem=_refuse_graph_problem)

    def _all_scripts(self) -> list[Script]:
        if self._scripts is None:
            self._scripts = [self._generated.get(s.revision, s) for s in self._load_revisions()]
        return self._scripts

    @property
    def squashes(self) -> list[_replaces.Squash]:
        """The squashed revisions of this directory (``replaces``)."""
        if self._squashes is None:
            self._squashes = _replaces.squashes(self._all_scripts())
        return self._squashes

    def _default_revisions(self) -> list[Script]:
        scripts = self._all_scripts()
        found = self.squashes
        if not found:
            self._replaced = None
            return scripts
        revs, self._replaced = _replaces.arrange(scripts, found, frozenset(), copy_all=False)
        return revs

    def _default_replaced(self) -> _replaces.Replaced:
        return self._replaced or _replaces.Replaced()

    def _view(self, original: frozenset[str]) -> ScriptDirectory:
        """A copy whose map shows the squashes in ``original`` as their originals."""
        scripts = self._all_scripts()
        found = self.squashes
        present = {s.revision for s in scripts}
        for sq in found:
            missing = _replaces.missing_originals(sq, present) if sq.revision in original else []
            if missing:
                raise CommandError(
                    f"Revision {missing[0]} is replaced by squashed revision {sq.revision} and "
                    f"its file is gone, but a database inside the squashed range still needs "
                    f"it: restore the original revision files of {sq.revision} "
                    f"({len(missing)} missing)")
        revs, replaced = _replaces.arrange(scripts, found, original, copy_all=True)
        clone = copy.copy(self)
        clone.revision_map = _rev.RevisionMap(lambda: revs, lambda: replaced,
                                              on_problem=_refuse_graph_problem)
        return clone

    def with_originals(self) -> ScriptDirectory:
        """This directory with every squash shown as the revisions it replaces."""
        found = self.squashes
        if not found:
            return self
        return self._view(frozenset(sq.revision for sq in found))

    def database_view(self, heads: Sequence[str]) -> _replaces.DatabaseView:
        """The graph a database whose version table holds ``heads`` sees.

        Without squashed revisions this is the directory itself and ``heads``
        unchanged.  A row naming the last revision a squash replaces reads as the
        squashed revision (``before`` rewrites it); a database inside a squashed
        range sees that range's original revisions (``finish`` records it at the
        squashed revision once it reaches the range's end).
        """
        heads = tuple(heads)
        if not heads:
            return _replaces.DatabaseView(self, heads)
        found = self.squashes
        if not found:
            return _replaces.DatabaseView(self, heads)
        within = _replaces.inside(found, heads)
        aliases = {sq.end: sq.revision for sq in found if sq not in within}
        before = [("update", h, aliases[h]) for h in heads if h in aliases]
        names = tuple(aliases.get(h, h) for h in heads)
        if not within:
            return _replaces.DatabaseView(self, names, before)
        view = self._view(frozenset(sq.revision for sq in within))
        return _replaces.DatabaseView(view, names, before,
                                      {sq.end: sq.revision for sq in within})

    def _script_from_path(self, path: str, cache: IndexCache | None = None,
                          location: str | None = None) -> Script | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if location and path.startswith(location + os.sep):
            rel = path[len(location) + 1:]
        else:
            rel = path
        if cache is not None:
            hit, header = cache.get(rel, stat)
            if hit:
                if header is None:
                    header = self._legacy_header(path, NotARevision(path))
                return self._script(path, header)
        module = None
        try:
            header = None if path.endswith((".pyc", ".pyo")) else read_header(path)
            if header is None:
                from ..util.modules import load_file_as_module

                module = load_file_as_module(path)
                header = header_from_module(module)
        except NotARevision as exc:
            if cache is not None:
                cache.put(rel, stat, None)
            return self._script(path, self._legacy_header(path, exc))
        self._check_header(path, header)
        script = self._script(path, header, module)
        if cache is not None:
            cache.put(rel, stat, header if module is None else {**header, "_exec": True})
        return script

    def _script(self, path: str, header: dict[str, Any], module: Any = None) -> Script:
        try:
            return Script(self, path, header, module)
        except _rev.RevisionError as exc:  # an illegal id, a self-loop: name the file
            raise RevisionCommandError(f"{exc} ({path})") from None

    @staticmethod
    def _check_header(path: str, header: dict[str, Any]) -> None:
        rev = header.get("revision")
        if not isinstance(rev, str) or not rev:
            raise CommandError(f"{path}: 'revision' must be a non-empty string, not {rev!r}")
        for key in ("down_revision", "depends_on", "branch_labels", "replaces"):
            value = header.get(key)
            if value is None or isinstance(value, str):
                continue
            if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                header[key] = tuple(value)
                continue
            raise CommandError(f"{path}: {key!r} must be None, a string or a tuple of strings, "
                               f"not {value!r}")

    @staticmethod
    def _legacy_header(path: str, error: NotARevision) -> dict[str, Any]:
        """A file without a ``revision`` variable: Alembic's legacy ``<hex id>.py`` names
        the revision by its file name; any other such file is an error, as in Alembic."""
        legacy = _LEGACY_REV.match(os.path.basename(path))
        if legacy is None:
            raise error
        from ..util.modules import load_file_as_module

        module = load_file_as_module(path)
        header = {key: getattr(module, key, None) for key in
                  ("down_revision", "branch_labels", "depends_on")}
        header["revision"] = legacy.group(1)
        header["doc"] = (module.__doc__ or "").strip()
        ScriptDirectory._check_header(path, header)
        return header

    # -- queries (graph errors become CommandError here) ---------------------------
    def get_revisions(self, id_: Any) -> tuple:
        with _graph_errors():
            return self.revision_map.get_revisions(id_)

    def get_all_current(self, id_: Any) -> set:
        with _graph_errors():
            return set(self.revision_map._get_all_current(id_))

    def get_revision(self, id_: str) -> Script:
        with _graph_errors():
            return self.revision_map.get_revision(id_)

    def as_revision_number(self, id_: str) -> Any:
        with _graph_errors():
            rev, branch_name = self.revision_map._resolve_revision_number(id_)
        if not rev:
            return None
        if len(rev) == 1:
            return rev[0]
        return rev

    def get_heads(self, consider_depends_on: bool = False) -> list[str]:
        """The head revisions (with ``consider_depends_on``, not those a head depends on)."""
        with _graph_errors():
            return list(self.revision_map.get_heads(consider_depends_on))

    def get_current_head(self) -> str | None:
        with _graph_errors(
            multiple_heads="The script directory has multiple heads (due to branching)."
            "Please use get_heads(), or merge the branches using alembic merge."
        ):
            return self.revision_map.get_current_head()

    def get_base(self) -> str | None:
        bases = self.get_bases()
        if len(bases) > 1:
            raise CommandError("The script directory has multiple bases. Please use get_bases().")
        return bases[0] if bases else None

    def get_bases(self) -> list[str]:
        with _graph_errors():
            return list(self.revision_map.bases)

    def walk_revisions(self, base: str = "base", head: str = "heads") -> Iterator[Script]:
        """Scripts from ``head`` down to ``base``, newest first."""
        with _graph_errors(
            multiple_heads="The script directory has multiple heads (due to branching)."
            "Please use get_heads(), or merge the branches using alembic merge."
        ):
            yield from self.revision_map.walk_revisions(base, head)

    def iterate_revisions(self, upper: Any, lower: Any, **kw: Any) -> Iterator[Script]:
        with _graph_errors():
            yield from self.revision_map.iterate_revisions(upper, lower, **kw)

    def _generate_create_date(self) -> datetime.datetime:
        """Now, in the ``timezone`` option's zone (aware), else local time (naive)."""
        if not self.timezone:
            return datetime.datetime.now()
        if ZoneInfo is None:
            raise CommandError("Python >= 3.9 is required for timezone support or the "
                               "'backports.zoneinfo' package must be installed.")
        for name in (self.timezone, self.timezone.upper()):  # "utc", "est5edt" too
            try:
                tz = ZoneInfo(name)
                break
            except (ZoneInfoNotFoundError, ValueError):
                continue
        else:
            raise CommandError(f"Can't locate timezone: {self.timezone} (the 'timezone' key)")
        return datetime.datetime.now(tz=datetime.timezone.utc).astimezone(tz)

    def _rev_path(self, path: str, rev_id: str, message: str | None,
                  create_date: datetime.datetime) -> str:
        """Where a new revision file goes: ``file_template`` applied in ``path``."""
        from pathlib import Path

        from .generate import rev_path

        return Path(rev_path(self, os.fspath(path), rev_id, message, create_date))

    # -- planning (Alembic's private names; the commands use script/plan.py) --------
    def _upgrade_revs(self, destination: Any, current_rev: Any) -> list:
        """The steps from ``current_rev`` up to ``destination``."""
        from .plan import upgrade_plan

        with _graph_errors():
            return upgrade_plan(self.revision_map, current_rev, destination)

    def _downgrade_revs(self, destination: Any, current_rev: Any) -> list:
        """The steps from ``current_rev`` down to ``destination``."""
        from .plan import downgrade_plan

        with _graph_errors():
            return downgrade_plan(self.revision_map, current_rev, destination)

    def _stamp_revs(self, revision: Any, heads: Any) -> list:
        """The stamp steps from ``heads`` to ``revision`` (one or several targets)."""
        from .plan import stamp_plan

        with _graph_errors():
            return stamp_plan(self.revision_map, heads, revision)

    # -- running ---------------------------------------------------------------------
    def run_env(self) -> None:
        """Execute env.py (or its sourceless .pyc)."""
        from ..util.modules import load_file_as_module

        path = self.env_py_location
        if not os.path.exists(path):
            for candidate in (path + "c", path + "o"):
                if self.sourceless and os.path.exists(candidate):
                    path = candidate
                    break
            else:
                raise CommandError(f"No env.py file found in {self.dir}")
        from ..errors import MigrationError

        try:
            load_file_as_module(path, module_id="env_py", code_cache=self._env_code)
        except CommandError:
            raise
        except Exception as exc:
            from ..util.masking import error_line

            known = getattr(self.config, "known_secrets", None)
            secrets = known() if known is not None else ()
            raise MigrationError(f"{path}: {type(exc).__name__}: {error_line(exc, secrets)}"
                                 ) from exc

    # -- writing -------------------------------------------------------------------
    def generate_revision(self, revid: str, message: str | None, head: Any = None,
                          splice: bool = False, branch_labels: Any = None,
                          version_path: str | None = None, file_template: str | None = None,
                          depends_on: Any = None, **kw: Any) -> Script:
        """Write a new revision file from ``script.py.mako`` (``kw`` are template
        variables; ``refresh`` is accepted for Alembic's signature: the map always is)."""
        from .generate import generate_revision

        return generate_revision(self, revid, message, head=head, splice=splice,
                                 branch_labels=branch_labels, version_path=version_path,
                                 file_template=file_template, depends_on=depends_on, **kw)

    def _add_script(self, script: Script) -> None:
        """Make a just-written script part of the map (rebuilt on next use), as the
        very object ``generate_revision`` returns."""
        self._generated[script.revision] = script
        self._reset_map()
