"""The Appreciative Inquiry method: phase order, names and default prompts."""

from __future__ import annotations

from flask_babel import force_locale, gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l

from ..models import PHASE_KIND, Kind, Phase

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


def _default_prompt_texts() -> dict[str, list[str]]:
    # Evaluated inside force_locale, so each call yields the chosen language.
    return {
        Phase.LOBBY.value: [
            gettext("Welcome! The workshop starts in a moment. Keep this page open."),
        ],
        Phase.DISCOVER.value: [
            gettext(
                "Tell me about a high point: a time when culture and creativity really "
                "worked in your region. What happened? Who was involved?"
            ),
            gettext("What do you value most about your work and your community?"),
            gettext("What made that success possible: people, structures, partnerships?"),
            gettext(
                "If you had three wishes for the future of the creative sector in your "
                "region, what would they be?"
            ),
        ],
        Phase.DREAM.value: [
            gettext(
                "Imagine our region when the positive core is the norm. What do you see? "
                "Write your dream as a short vision statement."
            ),
        ],
        Phase.DESIGN.value: [
            gettext(
                "Write a provocative proposition: affirmative, in the present tense, "
                "concrete, stretching but grounded in the stories we heard."
            ),
        ],
        Phase.DELIVER.value: [
            gettext("What will you do? Commit to one action: what, who and by when."),
        ],
        Phase.CLOSED.value: [
            gettext("Thank you! The workshop is closed. Here is what we created together."),
        ],
    }


def default_prompts(language: str) -> dict[str, list[str]]:
    """The default prompts of every phase, in ``language``."""
    with force_locale(language):
        return _default_prompt_texts()


def kind_for_phase(phase: str) -> Kind | None:
    """The kind of contribution ``phase`` collects, if any."""
    return PHASE_KIND.get(Phase(phase))
