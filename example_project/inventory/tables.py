"""The inventory app's tables, in SQLAlchemy Core; the Alembic revisions create them."""

import sqlalchemy as sa

metadata = sa.MetaData()

supplier = sa.Table(
    "inventory_supplier",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
)

item = sa.Table(
    "inventory_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sku", sa.String(40), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False, server_default="0"),
    sa.Column(
        "supplier_id",
        sa.Integer,
        sa.ForeignKey("inventory_supplier.id", name="fk_inventory_item_supplier_id"),
        nullable=True,
    ),
)

analytics_metadata = sa.MetaData()

page_view = sa.Table(
    "analytics_page_view",
    analytics_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("path", sa.String(500), nullable=False),
    sa.Column("viewed_at", sa.DateTime, nullable=False),
    sa.Index("ix_analytics_page_view_path", "path"),
)
