"""Django settings for the ``test_django_*`` modules (configured in-process, never globally).

``configure()`` is called at import by each ``test_django_*`` module, so the rest of
the suite runs without Django settings unless those modules are collected too.  The
example project's ``inventory`` app and script directories are reused read-only;
tests that write scripts copy them to a temporary directory.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example_project"
#: a scratch directory for the file databases of this process
SCRATCH = Path(tempfile.mkdtemp(prefix="alembic_django_tests_"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)


def example_alembic() -> dict:
    return {
        "default": {
            "script_location": EXAMPLE / "alembic",
            "database": "default",
            "target_metadata": "inventory.tables:metadata",
        },
        "analytics": {
            "script_location": EXAMPLE / "analytics_migrations",
            "database": "analytics",
            "target_metadata": "inventory.tables:analytics_metadata",
        },
    }


def configure() -> None:
    from django.conf import settings

    if settings.configured:
        return
    if str(EXAMPLE) not in sys.path:
        sys.path.insert(0, str(EXAMPLE))
    settings.configure(
        BASE_DIR=SCRATCH,
        SECRET_KEY="tests",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        INSTALLED_APPS=["alembic_django", "inventory"],
        DATABASES={
            # test databases for these two are Django's in-memory SQLite ones
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SCRATCH / "default.sqlite3"},
            "analytics": {"ENGINE": "django.db.backends.sqlite3", "NAME": SCRATCH / "analytics.sqlite3"},
            # a file database reached only through SQLAlchemy (tests point NAME at tmp files)
            "scratch": {"ENGINE": "django.db.backends.sqlite3", "NAME": SCRATCH / "scratch.sqlite3"},
            "scratch_analytics": {"ENGINE": "django.db.backends.sqlite3",
                                  "NAME": SCRATCH / "scratch_analytics.sqlite3"},
        },
        ALEMBIC=example_alembic(),
    )
    os.environ.setdefault("ALEMBIC_DJANGO_TESTS_SCRATCH", str(SCRATCH))
