"""merge quantity and suppliers; link items to suppliers

Revision ID: 53fffde5ad5
Revises: ae1027a6acf, 27c6a30d7c24
Create Date: 2026-11-24 10:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic_django import op

# revision identifiers, used by Alembic.
revision: str = '53fffde5ad5'
down_revision: str | Sequence[str] | None = ('ae1027a6acf', '27c6a30d7c24')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('inventory_item') as batch_op:
        batch_op.add_column(sa.Column('supplier_id', sa.Integer, nullable=True))
        batch_op.create_foreign_key(
            'fk_inventory_item_supplier_id', 'inventory_supplier', ['supplier_id'], ['id']
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('inventory_item') as batch_op:
        batch_op.drop_constraint('fk_inventory_item_supplier_id', type_='foreignkey')
        batch_op.drop_column('supplier_id')
