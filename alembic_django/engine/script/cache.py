"""The revision index cache: parsed headers keyed by file identity.

One JSON file per version location (``.alembic_django_index.json``) maps a file's
relative path to ``[size, mtime_ns, header]``.  An entry is used only while the
file's size and mtime are unchanged, so edits, additions and deletions are seen
on the next read.  Writes go through a temporary file and ``os.replace``, so two
processes writing at once leave one complete file; a corrupt or unreadable cache
is ignored and rebuilt.
"""

from __future__ import annotations

import json
import os
from typing import Any

CACHE_NAME = ".alembic_django_index.json"
FORMAT = 2  # 2: headers carry 'replaces'


class IndexCache:
    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, CACHE_NAME)
        self.entries: dict[str, list] = {}
        self.used: dict[str, list] = {}
        self.dirty = False
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data, dict) and data.get("format") == FORMAT:
                entries = data.get("entries")
                if isinstance(entries, dict):
                    self.entries = entries
        except (OSError, ValueError):
            self.entries = {}

    def get(self, rel: str, stat: os.stat_result) -> tuple[bool, Any]:
        """``(hit, header)``; header None means "not a revision file"."""
        entry = self.entries.get(rel)
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and entry[0] == stat.st_size
            and entry[1] == stat.st_mtime_ns
        ):
            self.used[rel] = entry
            return True, entry[2]
        return False, None

    def put(self, rel: str, stat: os.stat_result, header: Any) -> None:
        self.used[rel] = [stat.st_size, stat.st_mtime_ns, header]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty and len(self.used) == len(self.entries):
            return
        from ..util.files import write_atomic

        text = json.dumps({"format": FORMAT, "entries": self.used}, separators=(",", ":"))
        try:
            write_atomic(self.path, text, prefix=".alembic_django_index.")
        except OSError:
            return  # read-only location: run without a cache
