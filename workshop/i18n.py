"""Locale choice, shared by pages, API responses and Socket.IO handlers.

Order of preference: ``?lang=`` (also remembered), the person's explicit
choice (cookie, then a participant's record), ``Accept-Language`` when it
names a supported language, the workshop's language, English.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request

LANG_COOKIE = "lang"

#: For each locale, the gettext plural index of each CLDR category that
#: ``Intl.PluralRules`` gives in the browser (integers; Babel's Plural-Forms).
PLURAL_INDEX: dict[str, dict[str, int]] = {
    "en": {"one": 0, "other": 1},
    "de": {"one": 0, "other": 1},
    "nl": {"one": 0, "other": 1},
    "it": {"one": 0, "many": 1, "other": 1},
    "pl": {"one": 0, "few": 1, "many": 2, "other": 2},
    "cs": {"one": 0, "few": 1, "many": 2, "other": 2},
    "sl": {"one": 0, "two": 1, "few": 2, "other": 3},
}


def supported() -> list[str]:
    """The product's locale codes."""
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The locale Flask-Babel uses for the current request or socket event."""
    languages = supported()
    if not has_request_context():
        return getattr(g, "locale_hint", None) or "en"
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in languages:
        return remembered
    personal = getattr(g, "participant_language", None)
    if personal in languages:
        return personal
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    workshop_language = getattr(g, "workshop_language", None)
    if workshop_language in languages:
        return workshop_language
    return "en"


def remember_requested_locale(response):  # type: ignore[no-untyped-def]
    """Keep a ``?lang=`` choice in a cookie, so the next page honours it."""
    asked = request.args.get("lang")
    if request.endpoint == "facilitator.screen":
        return response  # the projector's language is the room's, not the facilitator's
    if asked in supported() and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=60 * 60 * 24 * 365, samesite="Lax")
    return response


def export_formats() -> list[tuple[str, str]]:
    """Download formats of the strategy draft with their button labels, best first."""
    from flask_babel import gettext

    return [
        ("docx", gettext("Word (.docx)")),
        ("pdf", gettext("PDF")),
        ("md", gettext("Markdown")),
        ("xlsx", gettext("Excel (.xlsx)")),
        ("csv", gettext("CSV")),
        ("json", gettext("JSON")),
    ]


def template_context() -> dict[str, object]:
    """``current_locale``, ``language_names``, ``export_formats`` and ``phase_prompts``.

    ``phase_prompts(workshop, phase)`` gives a phase's prompts in the page's
    language (services/prompts.py), for pages that show them before their
    script runs.
    """
    from flask_babel import get_locale

    from .forms import LANGUAGE_NAMES
    from .services.prompts import phase_prompts

    locale = str(get_locale() or "en")
    return {
        "current_locale": locale,
        "language_names": LANGUAGE_NAMES,
        "export_formats": export_formats,
        "phase_prompts": lambda workshop, phase: phase_prompts(workshop, phase, locale),
    }
