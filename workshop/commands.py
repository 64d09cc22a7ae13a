"""Command-line tools: ``flask --app workshop facilitator …``, ``… workshop …``, ``… privacy …``, ``… translate …``."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from .services import accounts
from .services.errors import ServiceError

PROJECT_DIR = Path(__file__).resolve().parent.parent
TRANSLATIONS = PROJECT_DIR / "translations"
DEMO_EMAIL = "demo@positive-core.local"

facilitator_cli = AppGroup("facilitator", help="Manage facilitator accounts.")
demo_cli = AppGroup("demo", help="A demo programme to explore.")
workshop_cli = AppGroup("workshop", help="Import and export workshops.")
translate_cli = AppGroup("translate", help="Extract, update and compile translations.")
privacy_cli = AppGroup("privacy", help="Retention of personal data (docs/privacy.md).")


@facilitator_cli.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="Name shown to participants.")
def create_facilitator(email: str, password: str, name: str) -> None:
    """Create a facilitator account."""
    try:
        facilitator = accounts.create_facilitator(email, password, name)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Created facilitator {facilitator.email}.")


@facilitator_cli.command("delete")
@click.argument("email")
@click.option("--with-workshops", is_flag=True, help="Also delete every workshop it runs.")
def delete_facilitator(email: str, with_workshops: bool) -> None:
    """Delete a facilitator account (its email, name, password and API tokens)."""
    from sqlalchemy import select

    from .extensions import db
    from .models import Workshop
    from .realtime.erasures import deliver_deletion
    from .services import erasure

    facilitator = accounts.find_facilitator(email)
    if facilitator is None:
        raise click.ClickException(f"No facilitator {email}.")
    owned = list(db.session.scalars(select(Workshop).where(Workshop.owner_id == facilitator.id)))
    if owned and not with_workshops:
        raise click.ClickException(
            f"{facilitator.email} runs {len(owned)} workshop(s): delete them first, "
            "or add --with-workshops."
        )
    for workshop in owned:
        title = workshop.title
        deliver_deletion(erasure.delete_workshop(workshop, facilitator))
        click.echo(f"Deleted workshop {title!r}.")
    accounts.delete_facilitator(facilitator)
    click.echo(f"Deleted facilitator {email}.")


@facilitator_cli.command("demo")
def create_demo() -> None:
    """Create a demo facilitator unless any account exists; print its password once."""
    if accounts.facilitator_count():
        return
    password = secrets.token_urlsafe(12)
    accounts.create_facilitator(DEMO_EMAIL, password, "Demo facilitator")
    click.echo("")
    click.echo("  Demo facilitator created (shown only this once):")
    click.echo(f"    email:    {DEMO_EMAIL}")
    click.echo(f"    password: {password}")
    click.echo("")


@workshop_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--owner", help="Email of the facilitator who will own it (default: the only one).")
def import_workshop(file: click.File, owner: str | None) -> None:
    """Restore a workshop from a JSON export (GET /api/workshops/<id>/export.json)."""
    from flask import current_app

    from .services import importer

    if owner:
        facilitator = accounts.find_facilitator(owner)
        if facilitator is None:
            raise click.ClickException(f"No facilitator {owner}.")
    else:
        facilitator = accounts.only_facilitator()
        if facilitator is None:
            raise click.ClickException("Name the new owner with --owner EMAIL.")
    limit = current_app.config["IMPORT_MAX_BYTES"]
    raw = file.read(limit + 1)
    try:
        if len(raw) > limit:
            raise ServiceError("too_large", f"the file is larger than {limit} bytes.")
        workshop, created = importer.import_workshop(importer.parse(raw), facilitator)
    except ServiceError as error:
        raise click.ClickException(f"Cannot import: {error.message}") from None
    if not created:
        click.echo(f"Already imported as workshop {workshop.id} ({workshop.title}).")
        return
    click.echo(f"Imported workshop {workshop.id} ({workshop.title}), join code {workshop.code}.")


@demo_cli.command("seed")
@click.option("--password", help="Password of every demo account (default: a random one).")
def seed_demo(password: str | None) -> None:
    """Create the demo programme: eight regions, their workshops, their people."""
    from flask import current_app

    from . import demo

    try:
        # Links and labels are made as in a request to the server's own address.
        with current_app.test_request_context(base_url=demo.sign_in_base()):
            made = demo.seed(password)
    except demo.AlreadySeeded as error:
        raise click.ClickException(
            f"The demo programme exists already (programme {error.programme.id}, "
            f"{error.programme.title!r}); it was seeded once. Sign in with the accounts "
            "printed then, or use a fresh database."
        ) from None
    except ServiceError as error:
        raise click.ClickException(f"Cannot seed the demo: {error.message}") from None
    base = demo.sign_in_base()
    click.echo("")
    click.echo(f"  Demo programme created: {made.programme.title}")
    click.echo(f"    dashboard:      {base}/programmes/{made.programme.id}")
    click.echo(f"    partner portal: {base}/p/{made.portal_token}")
    click.echo(f"  Sign in at {base}/login with one of these (password for all: {made.password}):")
    for email, name, what in made.accounts:
        click.echo(f"    {email:<34} {name} ({what})")
    click.echo("")


@privacy_cli.command("enforce")
@click.option("--dry-run", is_flag=True, help="Say what would be done; change nothing.")
def enforce_retention(dry_run: bool) -> None:
    """Anonymise the participants of workshops past their retention period (run daily)."""
    from .realtime.erasures import deliver
    from .services import retention

    done = retention.enforce(dry_run=dry_run)
    if not done:
        click.echo(
            "Nothing to do: no workshop holds names or private items past its retention period."
        )
        return
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"{verb} {len(done)} workshop(s) past their retention period:")
    for plan, events in done:
        start = "closed" if plan.closed else "last changed"
        click.echo(
            f"  workshop {plan.workshop_id} {plan.title!r}: {start} {plan.since:%Y-%m-%d}, "
            f"kept {plan.retention_days} days (due {plan.due_at:%Y-%m-%d}): "
            f"{plan.participants} participant(s) anonymised, "
            f"{plan.named} named contribution(s) made anonymous, "
            f"{plan.private} private contribution(s) deleted."
        )
        deliver(events)  # screens still open on the workshop follow (through the message queue)
    if dry_run:
        click.echo("Dry run: nothing was changed.")


def _pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=PROJECT_DIR
    )


# (domain, extraction config, sources) for server-side and JavaScript strings.
DOMAINS = (("messages", "babel.cfg", "."), ("js", "babel-js.cfg", "."))


@translate_cli.command("extract")
def extract() -> None:
    """Collect every msgid into translations/*.pot."""
    for domain, config, source in DOMAINS:
        _pybabel(
            "extract",
            "-F",
            config,
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_pgettext:1c,2",
            "--no-location",
            "--sort-output",
            "--project=Positive Core",
            "--copyright-holder=Positive Core",
            "-o",
            str(TRANSLATIONS / f"{domain}.pot"),
            source,
        )


@translate_cli.command("update")
def update() -> None:
    """Merge new msgids from the .pot files into every catalogue."""
    for domain, _config, _source in DOMAINS:
        if any(TRANSLATIONS.glob(f"*/LC_MESSAGES/{domain}.po")):
            _pybabel(
                "update",
                "-i",
                str(TRANSLATIONS / f"{domain}.pot"),
                "-d",
                str(TRANSLATIONS),
                "-D",
                domain,
                "--no-fuzzy-matching",
            )


@translate_cli.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start the catalogues of a new language."""
    for domain, _config, _source in DOMAINS:
        _pybabel(
            "init",
            "-i",
            str(TRANSLATIONS / f"{domain}.pot"),
            "-d",
            str(TRANSLATIONS),
            "-D",
            domain,
            "-l",
            language,
        )


@translate_cli.command("compile")
def compile_catalogues() -> None:
    """Build the .mo files the app reads (English needs none)."""
    compile_all()


def compile_all() -> int:
    """Compile every .po file under translations/; returns how many."""
    from .startup import catalogues, compile_catalogues

    count = compile_catalogues(catalogues(TRANSLATIONS))
    click.echo(f"Compiled {count} catalogue(s).")
    return count
