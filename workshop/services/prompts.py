"""The prompts of each phase: the method's defaults and the facilitator's own texts.

A workshop stores, per phase, a list of prompt entries:

- ``{"default": "discover.high_point"}``: one of the method's prompts
  (``DEFAULT_PROMPTS``). It has no fixed text: every reader gets it in their
  own language (a phone in its language, an export in the export's).
- ``{"text": "…", "language": "sl", "translations": {"pl": "…"}}``: a prompt
  the facilitator wrote, kept as written (``language`` is the one it was
  written in), with the translations the facilitator chose to add.

``prompts_in`` gives the texts for one language; the browser does the same
with the default texts that ``/i18n/<locale>.json`` carries.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .. import languages
from ..models import Phase, Workshop
from . import validation as v
from .errors import ServiceError

MAX_PROMPTS = 12
MAX_PROMPT = 1000

#: The method's prompts of each phase, by stable key. Lazy strings: each
#: reader's language is chosen when they are read (``default_texts``).
DEFAULT_PROMPTS: dict[str, dict[str, Any]] = {
    Phase.LOBBY.value: {
        "lobby.welcome": _l("Welcome! The workshop starts in a moment. Keep this page open."),
    },
    Phase.DISCOVER.value: {
        "discover.high_point": _l(
            "Tell me about a high point: a time when culture and creativity really "
            "worked in your region. What happened? Who was involved?"
        ),
        "discover.values": _l("What do you value most about your work and your community?"),
        "discover.enablers": _l(
            "What made that success possible: people, structures, partnerships?"
        ),
        "discover.wishes": _l(
            "If you had three wishes for the future of the creative sector in your "
            "region, what would they be?"
        ),
    },
    Phase.DREAM.value: {
        "dream.vision": _l(
            "Imagine our region when the positive core is the norm. What do you see? "
            "Write your dream as a short vision statement."
        ),
    },
    Phase.DESIGN.value: {
        "design.proposition": _l(
            "Write a provocative proposition: affirmative, in the present tense, "
            "concrete, stretching but grounded in the stories we heard."
        ),
    },
    Phase.DELIVER.value: {
        "deliver.commitment": _l("What will you do? Commit to one action: what, who and by when."),
    },
    Phase.CLOSED.value: {
        "closed.thanks": _l("Thank you! The workshop is closed. Here is what we created together."),
    },
}

#: Every default prompt by key.
DEFAULT_TEXTS: dict[str, Any] = {
    key: text for texts in DEFAULT_PROMPTS.values() for key, text in texts.items()
}


@dataclasses.dataclass(frozen=True)
class Prompt:
    """One prompt as a reader sees it: its text and the language it is in."""

    text: str
    language: str


def _languages() -> tuple[str, ...]:
    return languages.CODES


def default_texts(language: str) -> dict[str, str]:
    """Every default prompt's text in ``language``, by key."""
    with force_locale(language):
        return {key: str(text) for key, text in DEFAULT_TEXTS.items()}


@functools.cache
def _defaults_by_text(languages: tuple[str, ...]) -> dict[str, str]:
    """Key of each default prompt by its text in any of ``languages``."""
    found: dict[str, str] = {}
    for language in languages:
        for key, text in default_texts(language).items():
            found.setdefault(text.strip(), key)
    return found


def default_key(text: str) -> str | None:
    """The key of the default prompt whose text, in any language, is ``text``."""
    return _defaults_by_text(_languages()).get(text.strip())


def default_entries() -> dict[str, list[dict[str, Any]]]:
    """The method's prompts of every phase, as stored entries."""
    return {phase: [{"default": key} for key in keys] for phase, keys in DEFAULT_PROMPTS.items()}


def default_prompts(language: str) -> dict[str, list[str]]:
    """The method's prompts of every phase, as texts in ``language``."""
    texts = default_texts(language)
    return {phase: [texts[key] for key in keys] for phase, keys in DEFAULT_PROMPTS.items()}


def _invalid() -> ServiceError:
    return ServiceError(
        "invalid_field",
        _l("prompts must map each phase to a list of texts."),
    )


def _clean_entry(phase: str, value: Any, language: str) -> dict[str, Any] | None:
    """One entry from a text or an entry object; None for an empty text."""
    if isinstance(value, str):
        text = v.text_field({"prompt": value}, "prompt", max_length=MAX_PROMPT)
        if not text:
            return None
        key = default_key(text)
        if key is not None and key in DEFAULT_PROMPTS[phase]:
            # A default's text, in whichever language: every reader gets it in theirs.
            return {"default": key}
        return {"text": text, "language": language}
    if not isinstance(value, Mapping):
        raise _invalid()
    if "default" in value:
        if set(value) != {"default"} or value["default"] not in DEFAULT_PROMPTS[phase]:
            raise ServiceError(
                "invalid_field",
                _l("Unknown default prompt: %(key)s.", key=str(value.get("default"))[:80]),
            )
        return {"default": value["default"]}
    data = v.require_object(value, ("text", "language", "translations"), required=("text",))
    text = v.text_field(data, "text", max_length=MAX_PROMPT, required=True)
    written_in = v.choice_field(data, "language", _languages(), default=language)
    entry: dict[str, Any] = {"text": text, "language": written_in}
    translations = data.get("translations") or {}
    if not isinstance(translations, Mapping):
        raise _invalid()
    cleaned = {}
    for code, translation in translations.items():
        if code not in _languages():
            raise ServiceError(
                "invalid_choice", _l("Unknown language: %(code)s.", code=str(code)[:8])
            )
        translated = v.text_field({"text": translation}, "text", max_length=MAX_PROMPT)
        if translated and code != written_in:
            cleaned[code] = translated
    if cleaned:
        entry["translations"] = dict(sorted(cleaned.items()))
    return entry


def clean_prompts(value: Any, language: str) -> dict[str, list[dict[str, Any]]]:
    """Validate given prompts: ``{phase: [text or entry, ...]}`` to stored entries.

    A plain text equal to a default prompt (in any of the product's
    languages) becomes that default; any other text is the facilitator's own,
    written in ``language``.
    """
    if not isinstance(value, Mapping):
        raise _invalid()
    prompts: dict[str, list[dict[str, Any]]] = {}
    for phase, items in value.items():
        if phase not in DEFAULT_PROMPTS:
            raise ServiceError("invalid_field", _l("Unknown phase: %(phase)s.", phase=str(phase)))
        if isinstance(items, str | Mapping):
            items = [items]
        if not isinstance(items, list) or len(items) > MAX_PROMPTS:
            raise _invalid()
        prompts[phase] = [
            entry for entry in (_clean_entry(phase, item, language) for item in items) if entry
        ]
    return prompts


def resolve(
    entries: Iterable[Mapping[str, Any] | str], language: str, written_in: str | None = None
) -> list[Prompt]:
    """The prompts of one phase for a reader of ``language``.

    A plain string (as workshops stored prompts before entries) is a text
    written in ``written_in``.
    """
    texts = None
    resolved = []
    for entry in entries:
        if isinstance(entry, str):
            resolved.append(Prompt(entry, written_in or language))
        elif "default" in entry:
            if entry["default"] not in DEFAULT_TEXTS:
                continue  # a default this version no longer has
            texts = texts or default_texts(language)
            resolved.append(Prompt(texts[entry["default"]], language))
        elif language in (entry.get("translations") or {}):
            resolved.append(Prompt(entry["translations"][language], language))
        elif entry.get("text"):
            resolved.append(Prompt(entry["text"], entry.get("language") or language))
    return resolved


def phase_prompts(workshop: Workshop, phase: str, language: str) -> list[Prompt]:
    """The prompts of ``phase`` for a reader of ``language``."""
    return resolve((workshop.prompts or {}).get(phase, []), language, workshop.language)


def prompts_in(workshop: Workshop, language: str) -> dict[str, list[str]]:
    """Every phase's prompt texts in ``language`` (exports ask for theirs here).

    Default prompts come in ``language``; the facilitator's own in their
    translation to ``language`` when there is one, else as written.
    """
    return {
        phase: [prompt.text for prompt in resolve(entries, language, workshop.language)]
        for phase, entries in (workshop.prompts or {}).items()
    }


def editable_lines(workshop_prompts: Mapping[str, Any], language: str) -> dict[str, list[str]]:
    """The prompts as the edit form shows them: one text per line, in ``language``."""
    return {
        phase: [prompt.text for prompt in resolve(entries, language)]
        for phase, entries in workshop_prompts.items()
    }


def custom_prompts(workshop_prompts: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The facilitator's own prompts of each phase (the ones a translation can be added to)."""
    return {
        phase: [entry for entry in entries if "text" in entry]
        for phase, entries in workshop_prompts.items()
        if any("text" in entry for entry in entries)
    }
