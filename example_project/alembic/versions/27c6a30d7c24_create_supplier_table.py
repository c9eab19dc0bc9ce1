"""create supplier table

Revision ID: 27c6a30d7c24
Revises: 1975ea83b712
Create Date: 2026-11-24 10:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic_django import op

# revision identifiers, used by Alembic.
revision: str = '27c6a30d7c24'
down_revision: str | Sequence[str] | None = '1975ea83b712'
branch_labels: str | Sequence[str] | None = ('suppliers',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'inventory_supplier',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(200), nullable=False),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('inventory_supplier')
