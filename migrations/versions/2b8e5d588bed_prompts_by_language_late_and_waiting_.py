"""Prompts by language, late and waiting contributions, facilitator details and room settings

Workshops stored their prompts as texts copied in the workshop's language.
They become entries: a text equal to one of the method's default prompts (in
any of the seven languages) becomes the marker of that default, which each
reader gets in their own language; any other text is the facilitator's own,
kept as written in the workshop's language. The defaults' texts are frozen
below, as this revision knew them; their translations are read from the
catalogues under translations/.

Revision ID: 2b8e5d588bed
Revises: d16376f91bf3
Create Date: 2026-12-01 05:23:53.611626

"""
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from babel.messages.pofile import read_po

# revision identifiers, used by Alembic.
revision = '2b8e5d588bed'
down_revision = 'd16376f91bf3'
branch_labels = None
depends_on = None

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("en", "de", "pl", "cs", "it", "sl", "nl")
PHASES = ("lobby", "discover", "dream", "design", "deliver", "closed")
PHASE_OF_KIND = {"story": "discover", "dream": "dream", "proposition": "design", "commitment": "deliver"}
#: The method's default prompts by phase and key, as this revision knew them.
DEFAULTS = {
    "lobby": {"lobby.welcome": "Welcome! The workshop starts in a moment. Keep this page open."},
    "discover": {
        "discover.high_point": (
            "Tell me about a high point: a time when culture and creativity really "
            "worked in your region. What happened? Who was involved?"
        ),
        "discover.values": "What do you value most about your work and your community?",
        "discover.enablers": "What made that success possible: people, structures, partnerships?",
        "discover.wishes": (
            "If you had three wishes for the future of the creative sector in your "
            "region, what would they be?"
        ),
    },
    "dream": {
        "dream.vision": (
            "Imagine our region when the positive core is the norm. What do you see? "
            "Write your dream as a short vision statement."
        ),
    },
    "design": {
        "design.proposition": (
            "Write a provocative proposition: affirmative, in the present tense, "
            "concrete, stretching but grounded in the stories we heard."
        ),
    },
    "deliver": {
        "deliver.commitment": "What will you do? Commit to one action: what, who and by when.",
    },
    "closed": {
        "closed.thanks": "Thank you! The workshop is closed. Here is what we created together.",
    },
}

workshops = sa.table(
    "workshops",
    sa.column("id", sa.Integer),
    sa.column("language", sa.String),
    sa.column("phase", sa.String),
    sa.column("furthest_phase", sa.String),
    sa.column("prompts", sa.JSON),
)
contributions = sa.table(
    "contributions", sa.column("workshop_id", sa.Integer), sa.column("kind", sa.String)
)


def _texts(language):
    """Each default's text in ``language``, by key (the msgid where no translation)."""
    msgids = {msgid: key for texts in DEFAULTS.values() for key, msgid in texts.items()}
    found = {key: msgid for msgid, key in msgids.items()}
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if language != "en" and path.exists():
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id in msgids and message.string and not message.fuzzy:
                    found[msgids[message.id]] = message.string
    return found


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved', sa.Boolean(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('late', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('written_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facilitator_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('furthest_phase', sa.String(length=16), nullable=False, server_default='lobby'))
        batch_op.add_column(sa.Column('self_votes', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('keep_timer', sa.Boolean(), nullable=False, server_default='0'))

    connection = op.get_bind()
    by_text = {}
    for language in LANGUAGES:
        for key, text in _texts(language).items():
            by_text.setdefault(text.strip(), key)
    kinds = {}
    for workshop_id, kind in connection.execute(
        sa.select(contributions.c.workshop_id, contributions.c.kind).distinct()
    ):
        kinds.setdefault(workshop_id, set()).add(kind)
    for row in connection.execute(
        sa.select(workshops.c.id, workshops.c.language, workshops.c.phase, workshops.c.prompts)
    ).all():
        prompts = {}
        for phase, items in (row.prompts or {}).items():
            entries = []
            for item in items if isinstance(items, list) else [items]:
                if not isinstance(item, str):
                    entries.append(item)
                    continue
                key = by_text.get(item.strip())
                if key in DEFAULTS.get(phase, {}):
                    entries.append({"default": key})
                elif item.strip():
                    entries.append({"text": item.strip(), "language": row.language})
            prompts[phase] = entries
        # The furthest phase reached: at least the current one and those whose artefacts exist.
        reached = [row.phase] + [PHASE_OF_KIND[k] for k in kinds.get(row.id, ()) if k in PHASE_OF_KIND]
        furthest = max(reached, key=lambda phase: PHASES.index(phase) if phase in PHASES else 0)
        connection.execute(
            workshops.update()
            .where(workshops.c.id == row.id)
            .values(prompts=prompts, furthest_phase=furthest)
        )


def downgrade():
    connection = op.get_bind()
    texts = {language: _texts(language) for language in LANGUAGES}
    for row in connection.execute(
        sa.select(workshops.c.id, workshops.c.language, workshops.c.prompts)
    ).all():
        prompts = {}
        for phase, entries in (row.prompts or {}).items():
            prompts[phase] = [
                texts.get(row.language, texts["en"]).get(entry["default"], "")
                if isinstance(entry, dict) and "default" in entry
                else entry.get("text", "") if isinstance(entry, dict) else entry
                for entry in entries
            ]
        connection.execute(
            workshops.update().where(workshops.c.id == row.id).values(prompts=prompts)
        )

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('keep_timer')
        batch_op.drop_column('premoderation')
        batch_op.drop_column('self_votes')
        batch_op.drop_column('furthest_phase')
        batch_op.drop_column('organisation')
        batch_op.drop_column('facilitator_name')

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_column('written_at')
        batch_op.drop_column('late')
        batch_op.drop_column('approved')
