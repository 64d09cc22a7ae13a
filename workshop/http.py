"""HTTP glue shared by the blueprints: the route guard, the JSON body, the caller's address.

Every view declares the one action it performs with ``@protected(action)``.
The guard asks ``services.access`` and turns a refusal into the answer its
audience expects: a JSON error on the API; on pages, the sign-in page for a
facilitator page without a session, the join page for a participant page
without the participant cookie, an error page otherwise. A ``workshop_id``
(or ``programme_id``) in the URL (or, for routes about the caller, such as
``/api/me``, ``?workshop_id=`` in the query string) reaches the view as the
``workshop`` (or ``programme``) it names, already checked. Routes behind a
link (a share link, a programme's portal link, an invitation) receive the
object their ``token`` opens, or answer 404 (unknown) or 410 (revoked, used,
expired).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .extensions import login_manager
from .models import Programme, Workshop
from .services import access
from .services.access import Action, Credential
from .services.errors import ServiceError

View = TypeVar("View", bound=Callable[..., Any])

#: The attribute on a guarded view naming its action (read by the access-control test).
ACTION_ATTRIBUTE = "access_action"


#: URL values that name the object of a route's action, by kind.
_OBJECT_IDS = {Workshop: "workshop_id", Programme: "programme_id"}


def _open_link(action: Action, values: dict[str, Any]) -> None:
    """Resolve the link in the URL into the object the view receives (404/410 when it fails)."""
    identity = access.identify()
    token = values["token"]
    if action == Action.WORKSHOP_PORTAL:
        values["workshop"] = access.portal_workshop(identity, token, values.pop("workshop_id"))
    elif action == Action.WORKSHOP_SHARED:
        values["workshop"] = access.shared_workshop(identity, token)
    elif action == Action.PROGRAMME_SHARED:
        values["programme"] = access.portal_programme(identity, token)
    else:
        values["programme"] = access.invited_programme(identity, token)


def protected(action: Action, *, query: bool = False) -> Callable[[View], View]:
    """Guard a view: only callers allowed ``action`` (on the URL's object) reach it.

    ``query`` takes the workshop from ``?workshop_id=`` (routes about the
    caller rather than about one workshop, such as ``/api/me``).
    """
    kind = access.TARGETS[action]
    id_name = _OBJECT_IDS.get(kind) if kind is not None else None
    object_name = kind.__name__.lower() if kind is not None else None

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(**values: Any) -> Any:
            if access.CREDENTIALS[action] == Credential.LINK:
                _open_link(action, values)
                return view(**values)
            identity = access.identify()
            if query:
                values["workshop_id"] = _query_workshop_id()
            target = None
            missing = False
            if kind is Workshop and "public_id" in values:
                public_id = values.pop("public_id")
                if not access.lacks_credential(identity, action):
                    target = access.find_workshop(None, public_id)
                missing = target is None
                values["workshop"] = target
            elif id_name is not None and id_name in values:
                object_id = values.pop(id_name)
                if not access.lacks_credential(identity, action):
                    target = access.find(kind, object_id)
                missing = target is None
                values[object_name] = target  # type: ignore[index]
            error = access.refused(identity, action, target, missing=missing)
            if error is None:
                return view(**values)
            if request.blueprint != "api":
                if error.status == 401:
                    return login_manager.unauthorized()
                if access.CREDENTIALS[action] == Credential.PARTICIPANT:
                    # The join page, without the code: a URL is not a code, and
                    # whether this workshop exists is not the caller's to learn.
                    flash(gettext("Join the workshop first."), "info")
                    return redirect(url_for("participant.join"))
            raise error

        setattr(guarded, ACTION_ATTRIBUTE, action)
        return guarded  # type: ignore[return-value]

    return decorate


#: The attribute on a view naming the config key of its own body limit.
BODY_LIMIT_ATTRIBUTE = "body_limit"


def body_limit(config_key: str) -> Callable[[View], View]:
    """Give a route a body limit of its own (e.g. an import upload), instead of ``MAX_CONTENT_LENGTH``."""

    def decorate(view: View) -> View:
        setattr(view, BODY_LIMIT_ATTRIBUTE, config_key)
        return view

    return decorate


def apply_body_limit() -> None:
    """Before anything reads the body: the limit of the route being called."""
    view = current_app.view_functions.get(request.endpoint or "")
    key = getattr(view, BODY_LIMIT_ATTRIBUTE, None)
    if key is not None:
        request.max_content_length = current_app.config[key]
        request.max_form_memory_size = current_app.config[key]


def _query_workshop_id() -> int:
    raw = request.args.get("workshop_id", "")
    if not raw.isdigit() or len(raw) > 10:
        raise ServiceError("missing_field", _l("Name the workshop: ?workshop_id=<id>."))
    return int(raw)


#: Endpoints Flask registers itself, with the action they perform.
BUILT_IN = {"static": Action.PUBLIC}


def route_action(app: Flask, endpoint: str) -> Action | None:
    """The action the view of ``endpoint`` declared with ``@protected``, if any."""
    return BUILT_IN.get(endpoint) or getattr(app.view_functions[endpoint], ACTION_ATTRIBUTE, None)


def json_body() -> Any:
    """The request's JSON, or None when it is missing or malformed."""
    return request.get_json(silent=True)


#: What a browser removes before it parses a URL (WHATWG URL standard): C0 controls
#: and spaces around it, and every tab and newline inside it.
_AROUND = "".join(chr(n) for n in range(0x21))
_INSIDE = str.maketrans("", "", "\t\n\r")


def local_url(target: str | None) -> str | None:
    """``target`` as a path on this site, or None when it could lead elsewhere.

    The URL is read as a browser reads it (controls stripped, tabs and newlines
    dropped, backslashes taken as slashes), parsed, and accepted only without
    a scheme or host and with a path starting with one slash. The answer is
    rebuilt from the parsed parts, so what is redirected to is what was checked.
    """
    if not target:
        return None
    value = target.strip(_AROUND).translate(_INSIDE).replace("\\", "/")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def client_address() -> str:
    """The caller's address (behind a proxy, set PROXY_FIX so this is the phone's)."""
    return request.remote_addr or "unknown"


def template_context() -> dict[str, object]:
    """Helpers for templates: ``may`` and ``iso_date``.

    ``may(action, target)`` says what the caller may do (services.access);
    ``iso_date(text)`` reads a date of a JSON payload (for ``dateformat``).
    """

    def may(action: str, target: Any = None) -> bool:
        return access.may(access.identify(), Action(action), target)

    return {"may": may, "iso_date": dt.date.fromisoformat}
