"""HTTP glue shared by the blueprints: the route guard, the JSON body, the caller's address.

Every view declares the one action it performs with ``@protected(action)``.
The guard asks ``services.access`` and turns a refusal into the answer its
audience expects: a JSON error on the API; on pages, the sign-in page for a
facilitator page without a session, the join page for a participant page
without the participant cookie, an error page otherwise. A ``workshop_id``
in the URL (or, with ``query=True``, in the query string) reaches the view
as the ``workshop`` it names, already checked; a share link's ``token`` also
brings its ``workshop``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, flash, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .extensions import login_manager
from .services import access
from .services.access import Action, Credential
from .services.errors import ServiceError

View = TypeVar("View", bound=Callable[..., Any])

#: The attribute on a guarded view naming its action (read by the access-control test).
ACTION_ATTRIBUTE = "access_action"


def protected(action: Action, *, query: bool = False) -> Callable[[View], View]:
    """Guard a view: only callers allowed ``action`` (on the URL's object) reach it.

    ``query`` takes the workshop from ``?workshop_id=`` (routes about the
    caller rather than about one workshop, such as ``/api/me``).
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(**values: Any) -> Any:
            identity = access.identify()
            if action == Action.WORKSHOP_SHARED:
                values["workshop"] = access.shared_workshop(identity, values["token"])
                return view(**values)
            if query:
                values["workshop_id"] = _query_workshop_id()
            workshop = None
            missing = False
            if "workshop_id" in values:
                workshop_id = values.pop("workshop_id")
                if not access.lacks_credential(identity, action):
                    workshop = access.find_workshop(workshop_id)
                missing = workshop is None
                values["workshop"] = workshop
            error = access.refused(identity, action, workshop, missing=missing)
            if error is None:
                return view(**values)
            if request.blueprint != "api":
                if error.status == 401:
                    return login_manager.unauthorized()
                if access.CREDENTIALS[action] == Credential.PARTICIPANT and workshop is not None:
                    flash(gettext("Join the workshop first."), "info")
                    return redirect(url_for("participant.join_with_code", code=workshop.code))
            raise error

        setattr(guarded, ACTION_ATTRIBUTE, action)
        return guarded  # type: ignore[return-value]

    return decorate


def _query_workshop_id() -> int:
    raw = request.args.get("workshop_id", "")
    if not raw.isdigit():
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


def client_address() -> str:
    """The caller's address (behind a proxy, set PROXY_FIX so this is the phone's)."""
    return request.remote_addr or "unknown"
