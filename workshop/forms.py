"""Web forms (Flask-WTF, CSRF-protected) for facilitators and participants."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .models import Consent
from .services.privacy import MAX_NOTICE, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from .services.validation import MAX_NAME, MAX_SHORT, MAX_TEXT, MAX_TITLE


def required() -> DataRequired:
    """A required field, with its message in the product's catalogue."""
    return DataRequired(message=_l("Please fill in this field."))


def at_most(limit: int) -> Length:
    """A length limit, with its message in the product's catalogue."""
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


class WholeNumberField(IntegerField):
    """An integer field whose parse error comes from the product's catalogue."""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse the submitted value; a translated error when it is not a number."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number.")) from None


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

    email = EmailField(_l("Email"), validators=[required(), at_most(254)])
    password = PasswordField(_l("Password"), validators=[required()])


class WorkshopForm(FlaskForm):
    """Create or edit a workshop; prompts are one per line, per phase."""

    title = StringField(_l("Title"), validators=[required(), at_most(MAX_TITLE)])
    topic = TextAreaField(
        _l("Affirmative topic"),
        validators=[Optional(), at_most(MAX_TEXT)],
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
    votes_per_participant = WholeNumberField(
        _l("Votes per participant"),
        default=3,
        validators=[NumberRange(min=1, max=20, message=_l("Choose a number from 1 to 20."))],
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

    code = StringField(_l("Workshop code"), validators=[required(), at_most(12)])
    name = StringField(_l("Your name"), validators=[required(), at_most(MAX_NAME)])
    organisation = StringField(_l("Organisation (optional)"), validators=[at_most(MAX_SHORT)])
    region = StringField(_l("Region (optional)"), validators=[at_most(MAX_SHORT)])


class ConsentForm(FlaskForm):
    """A participant changes how one of their contributions may be used."""

    consent = RadioField(choices=[c.value for c in Consent], validators=[required()])


class IdentityForm(FlaskForm):
    """A participant corrects the name, organisation and region they joined with."""

    name = StringField(_l("Your name"), validators=[required(), at_most(MAX_NAME)])
    organisation = StringField(_l("Organisation (optional)"), validators=[at_most(MAX_SHORT)])
    region = StringField(_l("Region (optional)"), validators=[at_most(MAX_SHORT)])


class ConfirmForm(FlaskForm):
    """A button that changes something: withdraw, leave, erase (the CSRF token alone)."""


class PrivacyForm(FlaskForm):
    """The facilitator's settings of a workshop's privacy notice and retention period."""

    privacy_controller = StringField(
        _l("Who runs this workshop"),
        validators=[Optional(), at_most(MAX_TITLE)],
        description=_l(
            "The organisation responsible for the data, named in the privacy notice. "
            "Empty: the default of this server, else your name."
        ),
    )
    privacy_contact = StringField(
        _l("Contact for privacy questions"),
        validators=[Optional(), at_most(MAX_TITLE)],
        description=_l(
            "An email or postal address. Empty: the default of this server, else your email."
        ),
    )
    retention_days = WholeNumberField(
        _l("Keep names for this many days after closing"),
        validators=[
            NumberRange(
                min=MIN_RETENTION_DAYS,
                max=MAX_RETENTION_DAYS,
                message=_l("Choose a number from 1 to 3650."),
            )
        ],
    )
    privacy_notice = TextAreaField(
        _l("Why the data is used (optional)"),
        validators=[Optional(), at_most(MAX_NOTICE)],
        description=_l(
            "Replaces the standard text, which every participant reads in their own language. "
            "Write it in the language of the workshop."
        ),
    )


class DeleteWorkshopForm(FlaskForm):
    """Deleting a whole workshop asks for its code, typed."""

    confirm = StringField(_l("Type the code of the workshop to confirm"), validators=[required()])
