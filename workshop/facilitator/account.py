"""The facilitator's account page: API tokens, listed, made and revoked."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from ..forms import ConfirmForm, TokenForm
from ..http import protected
from ..services import access, accounts
from ..services.access import Action
from ..services.errors import ServiceError
from . import bp


def _page(form: TokenForm, new_token: str | None = None, status: int = 200) -> tuple[str, int]:
    identity = access.identify()
    return (
        render_template(
            "facilitator/tokens.html",
            form=form,
            confirm=ConfirmForm(),
            tokens=access.api_tokens_of(identity),
            new_token=new_token,
        ),
        status,
    )


@bp.route("/account/tokens", methods=["GET", "POST"])
@protected(Action.ACCOUNT)
def tokens() -> tuple[str, int]:
    """The account's API tokens; the form makes a new one, shown on this answer only."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.is_submitted() else 200)
    try:
        _, token = accounts.issue_api_token(access.identify().facilitator, form.name.data)
    except ServiceError as error:
        form.name.errors = [str(error.message)]
        return _page(form, status=error.status)
    # Rendered, not flashed: a flash would keep the token in the session cookie.
    return _page(TokenForm(formdata=None), new_token=token)


@bp.post("/account/tokens/<int:token_id>/revoke")
@protected(Action.ACCOUNT)
def revoke_token(token_id: int) -> BaseResponse:
    """Revoke one of the account's API tokens."""
    if ConfirmForm().validate_on_submit():
        accounts.revoke_api_token(access.api_token_of(access.identify(), token_id))
        flash(gettext("The token is revoked: it no longer works."), "success")
    return redirect(url_for("facilitator.tokens"))
