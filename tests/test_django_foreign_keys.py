"""The recipe of docs/deploying.rst: a SQLAlchemy table with a foreign key to a Django
model's table.  Django's table is created first (``migrate``), autogenerate writes the
constraint and never proposes dropping Django's tables, the upgrade creates the foreign
key, and ``check`` is clean afterwards."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest
from test_django_qa import Project

FK_MODELS = '''
import sqlalchemy as sa
from inventory.tables import metadata as inventory_metadata

metadata = sa.MetaData()
for table in inventory_metadata.tables.values():
    table.to_metadata(metadata)

account = sa.Table(
    "account", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("thing_id", sa.BigInteger,
              sa.ForeignKey("inventory_fkthing.id", ondelete="CASCADE"), nullable=False),
)
'''


@pytest.fixture
def django_thing():
    """A Django model (table ``inventory_fkthing``, BigAutoField id) while the test runs."""
    from django.apps import apps
    from django.db import models

    class FkThing(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "inventory"

    try:
        yield FkThing
    finally:
        apps.all_models["inventory"].pop("fkthing", None)
        apps.clear_cache()


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "fk_models.py").write_text(textwrap.dedent(FK_MODELS))
    p = Project(tmp_path, target_metadata="fk_models:metadata")
    p.settings.enable()
    try:
        yield p
    finally:
        p.settings.disable()
        p.restore()
        sys.modules.pop("fk_models", None)


def test_foreign_key_to_a_django_table(project, django_thing):
    import sqlalchemy as sa
    from django.db import connections

    project.run("upgrade", "heads")
    with connections["scratch"].schema_editor() as editor:  # what ``migrate`` does
        editor.create_model(django_thing)
    out = project.run("revision", "--autogenerate")
    path = Path(re.search(r"Generating (\S+) \.\.\.  done", out).group(1))
    assert path.name.endswith("_create_table_account.py")
    body = path.read_text()
    assert ("sa.ForeignKeyConstraint(['thing_id'], ['inventory_fkthing.id'], "
            "ondelete='CASCADE')") in body
    assert "drop_table" not in body.split("def downgrade")[0]
    assert "inventory_fkthing" not in body.split("def downgrade")[1]
    project.run("upgrade", "heads")
    engine = sa.create_engine(f"sqlite:///{project.db}")
    try:
        fks = sa.inspect(engine).get_foreign_keys("account")
    finally:
        engine.dispose()
    assert [(f["constrained_columns"], f["referred_table"], f["referred_columns"])
            for f in fks] == [(["thing_id"], "inventory_fkthing", ["id"])]
    assert "No new upgrade operations detected." in project.run("check")
