"""outbox lease and provider status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:50:27.087394
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_until', app.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('provider_status', sa.String(length=16), nullable=False, server_default=''))




def downgrade() -> None:

    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_column('provider_status')
        batch_op.drop_column('lease_until')


