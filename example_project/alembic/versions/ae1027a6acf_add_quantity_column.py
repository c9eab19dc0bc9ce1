"""add quantity column

Revision ID: ae1027a6acf
Revises: 1975ea83b712
Create Date: 2026-11-24 10:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic_django import op

# revision identifiers, used by Alembic.
revision: str = 'ae1027a6acf'
down_revision: str | Sequence[str] | None = '1975ea83b712'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('inventory_item', sa.Column('quantity', sa.Integer, nullable=False, server_default='0'))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('inventory_item') as batch_op:
        batch_op.drop_column('quantity')
