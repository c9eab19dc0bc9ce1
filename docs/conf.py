"""Sphinx configuration for the alembic-django documentation."""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "_ext"))
sys.path.insert(0, os.path.dirname(HERE))  # the package, when not installed

project = "alembic-django"
author = "alembic-django contributors"
copyright = "2026, alembic-django contributors"

try:
    from alembic_django import __version__ as release
except ImportError:  # pragma: no cover - docs built without the package
    release = "0.1.0"
version = ".".join(release.split(".")[:2])

extensions = ["commandref", "pyrefs", "sphinx.ext.autodoc"]
templates_path: list[str] = []
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = []
highlight_language = "text"
nitpicky = True  # the tests build with -n -W: every reference must resolve
# Smart quotes, but no smart dashes: "--sql" in help texts and docstrings must stay an
# option name, not become an en-dash ("–sql").
smartquotes_action = "qe"
