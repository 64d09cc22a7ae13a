"""The Appreciative Inquiry method: phase order and names (its prompts: prompts.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from ..models import PHASE_KIND, Kind, Phase
from .prompts import default_prompts, prompts_in  # noqa: F401  (the method's prompts, by language)

PHASES: tuple[Phase, ...] = tuple(Phase)

PHASE_LABELS = {
    Phase.LOBBY: _l("Lobby"),
    Phase.DISCOVER: _l("Discover"),
    Phase.DREAM: _l("Dream"),
    Phase.DESIGN: _l("Design"),
    Phase.DELIVER: _l("Deliver"),
    Phase.CLOSED: _l("Closed"),
}

KIND_LABELS = {
    Kind.STORY: _l("Story"),
    # "Dream" is also a phase; the context lets languages use two words (Czech: sen / Snění).
    Kind.DREAM: lazy_pgettext("artefact", "Dream"),
    Kind.PROPOSITION: _l("Provocative proposition"),
    Kind.COMMITMENT: _l("Commitment"),
}

#: The artefacts of each kind, as a sentence names them ("collects dreams").
KIND_PLURALS = {
    Kind.STORY: _l("stories"),
    Kind.DREAM: _l("dreams"),
    Kind.PROPOSITION: _l("provocative propositions"),
    Kind.COMMITMENT: _l("commitments"),
}


def kind_for_phase(phase: str) -> Kind | None:
    """The kind of contribution ``phase`` collects, if any."""
    return PHASE_KIND.get(Phase(phase))
