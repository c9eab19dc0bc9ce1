"""The documented JSON Schemas (docs/json-schemas/*.json) for the ``--json`` tests."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "json-schemas"


def validate(document: str | dict, name: str) -> dict:
    """Parse ``document`` (stdout of a ``--json`` command) and validate it against
    ``docs/json-schemas/<name>.json``; return the parsed document."""
    import jsonschema  # the test extra
    from referencing import Registry, Resource

    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(document) if isinstance(document, str) else document
    jsonschema.Draft202012Validator(schema, registry=registry).validate(data)
    return data
