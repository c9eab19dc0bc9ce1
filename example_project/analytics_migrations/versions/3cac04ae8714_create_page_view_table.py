"""create page view table

Revision ID: 3cac04ae8714
Revises: 
Create Date: 2026-11-24 10:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic_django import op

# revision identifiers, used by Alembic.
revision: str = '3cac04ae8714'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'analytics_page_view',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('path', sa.String(500), nullable=False),
        sa.Column('viewed_at', sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('analytics_page_view')
