"""Web forms (Flask-WTF, CSRF-protected) for facilitators and participants."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    SelectChoice,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .services.validation import MAX_NAME, MAX_SHORT, MAX_TEXT, MAX_TITLE

LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "pl": "Polski",
    "cs": "Čeština",
    "it": "Italiano",
    "sl": "Slovenščina",
    "nl": "Nederlands",
}


class LoginForm(FlaskForm):
    """Facilitator sign-in."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class WorkshopForm(FlaskForm):
    """Create or edit a workshop; prompts are one per line, per phase."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    topic = TextAreaField(
        _l("Affirmative topic"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l('Phrased positively, for example "How do we …?"'),
    )
    language = SelectField(
        _l("Language of the workshop"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        default="en",
    )
    votes_per_participant = IntegerField(
        _l("Votes per participant"), default=3, validators=[NumberRange(min=1, max=20)]
    )
    prompt_discover = TextAreaField(_l("Discover: interview questions, one per line"))
    prompt_dream = TextAreaField(_l("Dream: prompt"))
    prompt_design = TextAreaField(_l("Design: prompt"))
    prompt_deliver = TextAreaField(_l("Deliver: prompt"))

    PROMPT_PHASES = ("discover", "dream", "design", "deliver")

    def prompts(self) -> dict[str, list[str]]:
        """Non-empty prompt fields as the service's ``prompts`` mapping."""
        prompts = {}
        for phase in self.PROMPT_PHASES:
            text = getattr(self, f"prompt_{phase}").data or ""
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if lines:
                prompts[phase] = lines
        return prompts

    def fill_prompts(self, prompts: dict[str, list[str]]) -> None:
        """Show existing prompts in the form."""
        for phase in self.PROMPT_PHASES:
            getattr(self, f"prompt_{phase}").data = "\n".join(prompts.get(phase, []))


class JoinForm(FlaskForm):
    """A participant joins with the code on the screen."""

    code = StringField(_l("Workshop code"), validators=[DataRequired(), Length(max=12)])
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    organisation = StringField(_l("Organisation (optional)"), validators=[Length(max=MAX_SHORT)])
    region = StringField(_l("Region (optional)"), validators=[Length(max=MAX_SHORT)])
