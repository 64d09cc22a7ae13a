"""Web forms (Flask-WTF, CSRF-protected) for facilitators and participants."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from .languages import NAMES
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


#: The language menus' entries (workshop/languages.py).
LANGUAGE_NAMES = NAMES


class LoginForm(FlaskForm):
    """Facilitator sign-in."""

    email = EmailField(_l("Email"), validators=[required(), at_most(254)])
    password = PasswordField(_l("Password"), validators=[required()])


class TokenForm(FlaskForm):
    """A new API token: what it is for."""

    name = StringField(
        _l("What is it for? (optional)"),
        validators=[Optional(), at_most(80)],
        description=_l("For example: the laptop's export script."),
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class WorkshopForm(FlaskForm):
    """Create or edit a workshop; prompts are one per line, per phase."""

    title = StringField(_l("Title"), validators=[required(), at_most(MAX_TITLE)])
    topic = TextAreaField(
        _l("Affirmative topic"),
        validators=[Optional(), at_most(MAX_TEXT)],
        description=_l('Phrased positively, for example "How do we …?"'),
    )
    place = StringField(_l("Place (optional)"), validators=[at_most(MAX_TITLE)])
    held_on = DateField(
        _l("Date (optional)"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )
    facilitator_name = StringField(
        _l("Facilitator's name (optional)"),
        validators=[at_most(MAX_SHORT)],
        description=_l("As the strategy draft names who ran the workshop."),
    )
    organisation = StringField(_l("Organisation (optional)"), validators=[at_most(MAX_TITLE)])
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

    def prompts(self, formdata: Mapping[str, str] | None = None) -> dict[str, list[Any]]:
        """The prompt fields as the service's ``prompts`` mapping.

        A line that keeps the text of one of the facilitator's own prompts
        keeps its translations, as typed in ``formdata`` (the edit page's
        ``translation-<phase>-<n>-<lang>`` fields, with the translated text in
        ``translation-<phase>-<n>-source``).
        """
        translations = _translations(formdata or {})
        prompts: dict[str, list[Any]] = {}
        for phase in self.PROMPT_PHASES:
            text = getattr(self, f"prompt_{phase}").data or ""
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            # An emptied box means no prompts for the phase.
            prompts[phase] = [
                {"text": line, "translations": translations[(phase, line)]}
                if (phase, line) in translations
                else line
                for line in lines
            ]
        return prompts

    def fill_prompts(self, prompts: Mapping[str, list[str]]) -> None:
        """Show existing prompts in the form (texts, one per line)."""
        for phase in self.PROMPT_PHASES:
            getattr(self, f"prompt_{phase}").data = "\n".join(prompts.get(phase, []))


def _translations(formdata: Mapping[str, str]) -> dict[tuple[str, str], dict[str, str]]:
    """Translations typed on the edit page, by (phase, text they translate)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for name, source in formdata.items():
        parts = name.split("-")
        if len(parts) != 4 or parts[0] != "translation" or parts[3] != "source":
            continue
        phase, index = parts[1], parts[2]
        texts = {}
        for code in LANGUAGE_NAMES:
            value = (formdata.get(f"translation-{phase}-{index}-{code}") or "").strip()
            if value:
                texts[code] = value
        found[(phase, source.strip())] = texts
    return found


def language_field(label: str) -> SelectField:
    """A choice of the product's languages, each named in itself."""
    return SelectField(
        label,
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        default="en",
    )


class ProgrammeForm(FlaskForm):
    """A new programme: its title, what it is for, and the synthesis' language."""

    title = StringField(_l("Programme title"), validators=[required(), at_most(MAX_TITLE)])
    description = TextAreaField(_l("Description"), validators=[Optional(), at_most(4000)])
    language = language_field(_l("Working language of the synthesis"))


class ProgrammeSettingsForm(ProgrammeForm):
    """A programme's own fields, and the privacy notice its workshops inherit."""

    privacy_controller = StringField(
        _l("Who runs the programme’s workshops"),
        validators=[Optional(), at_most(MAX_TITLE)],
        description=_l(
            "The organisation responsible for the data, named in the privacy notice of "
            "each workshop of the programme that names none itself."
        ),
    )
    privacy_contact = StringField(
        _l("Contact for privacy questions"),
        validators=[Optional(), at_most(MAX_TITLE)],
        description=_l("An email or postal address, for each workshop that names none itself."),
    )
    privacy_notice = TextAreaField(
        _l("Why the data is used (optional)"),
        validators=[Optional(), at_most(MAX_NOTICE)],
        description=_l(
            "Replaces the standard text in each workshop that has no text of its own. "
            "Write it in the programme’s working language."
        ),
    )


class DeleteProgrammeForm(FlaskForm):
    """Deleting a programme asks for its title, typed."""

    confirm = StringField(_l("Type the title of the programme to confirm"), validators=[required()])
    with_own_workshops = BooleanField(
        _l("Also delete the workshops I run in it, with everything in them")
    )


class RegionForm(FlaskForm):
    """A region of a programme, with the partner organisation that runs its focus group."""

    name = StringField(_l("Region"), validators=[required(), at_most(MAX_SHORT)])
    country = StringField(
        _l("Country code (optional)"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z]{2}$", message=_l("Use two letters, such as DE.")),
        ],
        description=_l("Two letters, such as DE, AT, CZ, PL, IT, SI, BE."),
    )
    organisation = StringField(
        _l("Partner organisation (optional)"), validators=[Optional(), at_most(MAX_TITLE)]
    )


class InvitationForm(FlaskForm):
    """An invitation to a programme."""

    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("facilitator", _l("Facilitator")),
            SelectChoice("coordinator", _l("Coordinator")),
        ],
        default="facilitator",
    )
    email = EmailField(
        _l("Email (optional)"),
        validators=[Optional(), at_most(254)],
        description=_l(
            "Fills in the sign-up form for a new person. Anyone with the link can use it once."
        ),
    )


class ProgrammeWorkshopForm(FlaskForm):
    """A new workshop in a programme, for one of its regions."""

    title = StringField(_l("Title"), validators=[required(), at_most(MAX_TITLE)])
    region = SelectField(_l("Region"), choices=[], validate_choice=False)
    language = language_field(_l("Language of the workshop"))
    held_on = DateField(_l("Date (optional)"), validators=[Optional()])


class MoveWorkshopForm(FlaskForm):
    """Move one of your workshops into a programme."""

    workshop = SelectField(_l("Workshop"), choices=[], coerce=int, validate_choice=False)
    region = SelectField(_l("Region"), choices=[], validate_choice=False)


class ImportForm(FlaskForm):
    """Upload a JSON export into a programme region."""

    file = FileField(
        _l("JSON export"),
        validators=[FileRequired(message=_l("Choose the file to upload."))],
        description=_l("The JSON file downloaded from the workshop's board."),
    )
    region = SelectField(_l("Region"), choices=[], validate_choice=False)


class SignUpForm(FlaskForm):
    """A new person accepts an invitation: name, email and password."""

    name = StringField(_l("Your name"), validators=[required(), at_most(MAX_NAME)])
    email = EmailField(_l("Email"), validators=[required(), at_most(254)])
    password = PasswordField(
        _l("Password"),
        validators=[
            required(),
            Length(min=8, message=_l("Use at least %(min)d characters.", min=8)),
        ],
    )


class ButtonForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class JoinForm(FlaskForm):
    """A participant joins with the code on the screen."""

    code = StringField(_l("Workshop code"), validators=[required(), at_most(12)])
    name = StringField(_l("Your name"), validators=[required(), at_most(MAX_NAME)])
    organisation = StringField(_l("Organisation (optional)"), validators=[at_most(MAX_SHORT)])
    region = StringField(_l("Region (optional)"), validators=[at_most(MAX_SHORT)])
    #: The browser's languages (navigator.languages), filled in by the page's script.
    browser_languages = HiddenField()


class ConsentForm(FlaskForm):
    """A participant changes how one of their contributions may be used."""

    consent = RadioField(choices=[c.value for c in Consent], validators=[required()])


class IdentityForm(FlaskForm):
    """A participant corrects the name, organisation and region they joined with."""

    name = StringField(_l("Your name"), validators=[required(), at_most(MAX_NAME)])
    organisation = StringField(_l("Organisation (optional)"), validators=[at_most(MAX_SHORT)])
    region = StringField(_l("Region (optional)"), validators=[at_most(MAX_SHORT)])


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
