"""index page view path

Revision ID: 4f2e9c1b7d30
Revises: 3cac04ae8714
Create Date: 2026-11-24 10:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401  (as the template writes it)

from alembic_django import op

# revision identifiers, used by Alembic.
revision: str = '4f2e9c1b7d30'
down_revision: str | Sequence[str] | None = '3cac04ae8714'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_analytics_page_view_path', 'analytics_page_view', ['path'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_analytics_page_view_path', table_name='analytics_page_view')
