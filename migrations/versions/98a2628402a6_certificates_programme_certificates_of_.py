"""certificates: programme certificates of training targets

Revision ID: 98a2628402a6
Revises: 629b71f2b8de
Create Date: 2026-11-27 01:10:52.078869

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '98a2628402a6'
down_revision = '629b71f2b8de'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_courses', sa.JSON(), nullable=True))

    # Existing targets issue no programme certificate until someone switches it on.
    with op.batch_alter_table('training_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_certificate', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('programme_title', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('training_targets', schema=None) as batch_op:
        batch_op.drop_column('programme_title')
        batch_op.drop_column('programme_certificate')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('programme_courses')
