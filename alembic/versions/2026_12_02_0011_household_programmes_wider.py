"""households.programs holds every programme a list names (known codes and other names as given): 64 → 255

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.alter_column('programs', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=False)


def downgrade() -> None:
    # A value longer than 64 characters keeps its first 64 (PostgreSQL refuses to shorten it otherwise).
    op.execute("UPDATE households SET programs = substr(programs, 1, 64) WHERE length(programs) > 64")
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.alter_column('programs', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=False)
