"""Routes for machines and the browser runtime: health check, JS translations."""

from __future__ import annotations

from babel.support import Translations
from flask import Blueprint, Response, abort, current_app, jsonify

from .http import protected
from .languages import PLURAL_INDEX, is_supported
from .services.access import Action
from .services.prompts import default_texts

bp = Blueprint("system", __name__)


@bp.get("/healthz")
@protected(Action.PUBLIC)
def healthz() -> Response:
    """Liveness probe."""
    return jsonify({"status": "ok"})


@bp.get("/i18n/<locale>.json")
@protected(Action.PUBLIC)
def js_catalogue(locale: str) -> Response:
    """The JS message catalogue of ``locale``, compiled from ``translations/``.

    English is the source language, so its catalogue is empty and the
    scripts show their own msgids. ``prompts`` holds the method's default
    prompts in ``locale``, by key: pages show a workshop's ``{"default": key}``
    prompt entries with them (services/prompts.py).
    """
    if not is_supported(locale):
        abort(404)
    messages: dict[str, str | list[str]] = {}
    if locale != "en":
        translations = Translations.load(
            current_app.config["BABEL_TRANSLATION_DIRECTORIES"], [locale], domain="js"
        )
        catalog = getattr(translations, "_catalog", {})
        for key, value in catalog.items():
            if not key:
                continue
            if isinstance(key, tuple):
                msgid, index = key
                entry = messages.setdefault(msgid, [])
                assert isinstance(entry, list)
                entry.extend([""] * (index + 1 - len(entry)))
                entry[index] = value
            else:
                messages[key] = value
    response = jsonify(
        {
            "locale": locale,
            "plural_index": PLURAL_INDEX[locale],
            "messages": messages,
            "prompts": default_texts(locale),
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
