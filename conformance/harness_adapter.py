"""pytest plugin: run Alembic's own test suite against alembic-django.

Loaded with ``-p harness_adapter`` before the suite's conftest.  It maps harness
plumbing only:

* every ``alembic.*`` import resolves to alembic-django's namespace
  (``alembic_django.namespace.install()``, the documented opt-in), and
* ``alembic.testing`` (the suite's fixtures, which ship in Alembic's sdist next to
  its tests) is loaded from the sdist's ``alembic/testing`` directory, whose path
  the runner passes in ``ALEMBIC_CONFORMANCE_HARNESS``.

Nothing here implements behaviour: a test passes only if the engine does what
Alembic does.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path


class _HarnessFinder(importlib.abc.MetaPathFinder):
    """``alembic.testing[.x]`` from the sdist's harness directory."""

    def __init__(self, root: Path) -> None:
        self.root = root  # the directory that contains ``testing/``

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001
        if fullname != "alembic.testing" and not fullname.startswith("alembic.testing."):
            return None
        parts = fullname.split(".")[1:]
        base = self.root.joinpath(*parts)
        if (base / "__init__.py").exists():
            return importlib.util.spec_from_file_location(
                fullname, base / "__init__.py", submodule_search_locations=[str(base)])
        if base.with_suffix(".py").exists():
            return importlib.util.spec_from_file_location(fullname, base.with_suffix(".py"))
        return None


def _install() -> None:
    harness = os.environ.get("ALEMBIC_CONFORMANCE_HARNESS")
    if not harness:
        raise RuntimeError("ALEMBIC_CONFORMANCE_HARNESS must name the sdist's alembic/ dir")
    import alembic_django.namespace

    alembic_django.namespace.install()
    sys.meta_path.insert(0, _HarnessFinder(Path(harness)))


_install()
