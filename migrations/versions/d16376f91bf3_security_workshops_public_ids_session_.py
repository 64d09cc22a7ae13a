"""Security: workshops' public ids, session versions, API token expiry, share links as digests only

Existing rows are brought along: each workshop gets a random public id, each
API token works 30 more days from the upgrade, and each share link keeps the
first characters of its token as its hint before the token itself is dropped
(links already given to partners keep working: they are found by digest).

Revision ID: d16376f91bf3
Revises: ed41dec12981
Create Date: 2026-12-01 06:17:14.281961

"""
import datetime as dt
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd16376f91bf3'
down_revision = 'ed41dec12981'
branch_labels = None
depends_on = None

TOKEN_DAYS = 30
HINT_LENGTH = 8


def upgrade():
    bind = op.get_bind()

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('hint', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_tokens_facilitator_id'), ['facilitator_id'], unique=False)
    tokens = sa.table(
        'api_tokens',
        sa.column('id', sa.Integer),
        sa.column('expires_at', sa.DateTime(timezone=True)),
    )
    # Tokens already in use get the full lifetime from now: no script stops at the upgrade.
    expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=TOKEN_DAYS)
    bind.execute(tokens.update().values(expires_at=expires_at))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hint', sa.String(length=16), server_default='', nullable=False))
    links = sa.table(
        'share_links',
        sa.column('id', sa.Integer),
        sa.column('token', sa.String),
        sa.column('hint', sa.String),
    )
    for link_id, token in bind.execute(sa.select(links.c.id, links.c.token)).all():
        hint = (token or '')[:HINT_LENGTH]
        bind.execute(links.update().where(links.c.id == link_id).values(hint=hint))
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.drop_column('token')

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))
    workshops = sa.table('workshops', sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    for (workshop_id,) in bind.execute(sa.select(workshops.c.id)).all():
        bind.execute(
            workshops.update()
            .where(workshops.c.id == workshop_id)
            .values(public_id=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_workshops_public_id'), ['public_id'])


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_workshops_public_id'), type_='unique')
        batch_op.drop_column('public_id')

    # The tokens themselves are gone: links keep working (by digest) but cannot be shown again.
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.VARCHAR(length=64), server_default='', nullable=False))
        batch_op.drop_column('hint')

    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_facilitator_id'))
        batch_op.drop_column('expires_at')
        batch_op.drop_column('hint')
        batch_op.drop_column('name')
