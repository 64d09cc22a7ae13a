"""Locale choice, shared by pages, API responses and Socket.IO handlers.

Order of preference: ``?lang=`` (also remembered), the person's explicit
choice (cookie, then a participant's record), ``Accept-Language`` when it
names a supported language, the workshop's language, English.
"""

from __future__ import annotations

from flask import g, has_request_context, request

from .languages import CODES, NAMES, is_supported

LANG_COOKIE = "lang"


def select_locale() -> str:
    """The locale Flask-Babel uses for the current request or socket event."""
    if not has_request_context():
        return "en"  # background tasks render nothing for a person
    asked = request.args.get("lang")
    if is_supported(asked):
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if is_supported(remembered):
        return remembered
    personal = getattr(g, "participant_language", None)
    if is_supported(personal):
        return personal
    best = request.accept_languages.best_match(CODES)
    if best:
        return best
    workshop_language = getattr(g, "workshop_language", None)
    if is_supported(workshop_language):
        return workshop_language
    return "en"


def remember_requested_locale(response):  # type: ignore[no-untyped-def]
    """Keep a ``?lang=`` choice in a cookie, so the next page honours it."""
    asked = request.args.get("lang")
    if request.endpoint == "facilitator.screen":
        return response  # the projector's language is the room's, not the facilitator's
    if is_supported(asked) and request.cookies.get(LANG_COOKIE) != asked:
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

    from .services.prompts import phase_prompts

    locale = str(get_locale() or "en")
    return {
        "current_locale": locale,
        "language_names": NAMES,
        "export_formats": export_formats,
        "phase_prompts": lambda workshop, phase: phase_prompts(workshop, phase, locale),
    }
