"""The ``kawal`` command line: serve, migrate, seed, chat.

    kawal db upgrade              migrate the database and load the official area list
    kawal seed-demo               create the demo personas (idempotent)
    kawal serve [--host --port]   web app (webhooks, simulator) and background workers
    kawal chat --phone +62…       chat with the bot in the terminal as that person
    kawal import households FILE  import a household list (CSV or XLSX)
    kawal invite --role R --area A  an invitation code for a companion, operator or admin
    kawal digest --area A         print (and send) an area's weekly digest
    kawal export cases --area A --from D --to D --output F   the cases of an area and period
    kawal telegram set-webhook    register the Telegram webhook
    kawal privacy retention | export --phone N | erase --phone N   lawful data (UU 27/2022)
    kawal keys identifier         the key NIK/KK numbers are hashed with (pin it before rotating the secret)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from app.clock import Clock, parse_offset
from app.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from app.db import Database

ROOT = Path(__file__).resolve().parent.parent


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


@contextmanager
def _database(settings: Settings, *, failures: tuple[type[Exception], ...] = ()) -> Iterator[Database]:
    """The migrated database for one command, disposed after; a listed failure ends the command with its message."""
    from app.database_setup import is_up_to_date
    from app.db import Database

    if not is_up_to_date(settings):
        click.echo("The database is not up to date: run `kawal db upgrade` first.", err=True)
        sys.exit(2)
    database = Database(settings)
    try:
        yield database
    except failures as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    finally:
        database.dispose()


@click.group()
def main() -> None:
    """Kawal Bansos: chat service for social-assistance field work."""
    _configure_logging(os.environ.get("KAWAL_LOG_FORMAT", "text"))


def _configure_logging(log_format: str) -> dict[str, object]:
    """Text or JSON lines (``app.log_format``), the same for uvicorn's own; returns the setup for uvicorn."""
    from app.log_format import configure_logging

    return configure_logging(log_format)  # NIKs and phone numbers masked on every line


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate to the newest schema and load the official area list."""
    settings = _settings()
    from app.database_setup import upgrade_database

    loaded = upgrade_database(settings)
    click.echo(f"Database is up to date ({loaded} area rows loaded or renamed).")


@main.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo personas, companions and households (safe to run again)."""
    from app.db import Database
    from app.demo import seed_demo

    settings = _settings()
    database = Database(settings)
    with database.transaction() as session:
        created = seed_demo(session, secret_key=settings.identifier_hash_key, now=Clock().now())
    click.echo(f"Demo data ready ({created} new personas).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--clock-offset", default="0", help="Shift the service clock, e.g. '2d', '-3h', '90m' (for trying schedules).")
def serve(host: str, port: int, clock_offset: str) -> None:
    """Run the web app (webhooks, simulator, health check) and the background workers in one process."""
    import uvicorn

    from app.database_setup import is_up_to_date
    from app.web import create_app

    settings = _settings()
    if not is_up_to_date(settings):
        click.echo("The database is not up to date: run `kawal db upgrade` (or `make run`) first.", err=True)
        sys.exit(2)
    try:
        offset = parse_offset(clock_offset)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--clock-offset") from None
    if not settings.web_base_url and not settings.public_base_url:  # console links sent in chat point here
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        settings = settings.model_copy(update={"web_base_url": f"http://{shown}:{port}"})
    application = create_app(settings, clock=Clock(offset), long_running=True)
    click.echo(f"Kawal Bansos on http://{host}:{port}/  (health: /healthz, console: /console)")
    log_config = _configure_logging(settings.log_format)
    uvicorn.run(application, host=host, port=port, log_level="info", log_config=log_config)


@main.command()
@click.option("--role", required=True, help="psm, tksk, pkh, operator or admin")
@click.option("--area", "area_code", required=True, help="Official area code: a village, or a kecamatan for a TKSK.")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 90), help="How long the code stays valid.")
def invite(role: str, area_code: str, days: int) -> None:
    """Create a single-use invitation to a role in an area; prints the code and how to use it."""
    from app.db import Database
    from app.invitations.service import InvitationError, create_invitation

    settings = _settings()
    database = Database(settings)
    try:
        with database.transaction() as db:
            invitation = create_invitation(
                db, role=role.strip().lower(), area_code=area_code.strip(), now=Clock().now(), lifetime=timedelta(days=days)
            )
    except InvitationError as error:
        click.echo(f"Cannot invite: {error}", err=True)
        sys.exit(2)
    finally:
        database.dispose()
    click.echo(f"Invitation code: {invitation.code} ({invitation.role}, {invitation.area_code}; valid {days} days, once)")
    if settings.telegram_bot_username:
        click.echo(f"Telegram: https://t.me/{settings.telegram_bot_username}?start={invitation.code}")
    else:
        click.echo(f"Telegram: send /start {invitation.code} to the bot (set KAWAL_TELEGRAM_BOT_USERNAME for a link)")
    click.echo(f"WhatsApp (or the simulator): send  DAFTAR {invitation.code}")


@main.group()
def telegram() -> None:
    """Telegram bot commands."""


@telegram.command("set-webhook")
def telegram_set_webhook() -> None:
    """Register KAWAL_PUBLIC_BASE_URL/webhooks/telegram with Telegram, with the secret token."""
    import asyncio

    from bot.telegram import ALLOWED_UPDATES, make_bot

    settings = _settings()
    if not (settings.telegram_bot_token and settings.public_base_url and settings.telegram_webhook_secret):
        click.echo(
            "Set KAWAL_TELEGRAM_BOT_TOKEN, KAWAL_PUBLIC_BASE_URL and KAWAL_TELEGRAM_WEBHOOK_SECRET first.", err=True
        )
        sys.exit(2)
    url = f"{settings.public_base_url}/webhooks/telegram"

    async def register() -> None:
        async with make_bot(settings.telegram_bot_token, settings.telegram_api_url) as bot:
            await bot.set_webhook(url, secret_token=settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES)

    asyncio.run(register())
    click.echo(f"Telegram will send updates to {url}")


@main.command()
@click.option("--area", "area_code", required=True, help="A village (an operator's digest) or a kecamatan (a TKSK's).")
@click.option("--week", default="", help="ISO week, e.g. 2026-W48. Default: the last complete week.")
@click.option("--dry-run", is_flag=True, help="Only print it: store nothing, send nothing.")
@click.option("--language", default="id", show_default=True, type=click.Choice(["id", "en"]))
def digest(area_code: str, week: str, dry_run: bool, language: str) -> None:
    """Print an area's weekly digest; without --dry-run also store it and send it (with chart and workbook)
    to the area's operators or TKSK."""
    from app.digest.service import digest_text_for, send_to_readers
    from app.digest.weeks import Week
    from app.i18n import translators

    try:
        chosen = Week.parse(week) if week else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--week") from None
    settings = _settings()
    now = Clock().now()
    with _database(settings, failures=(ValueError,)) as database, database.transaction() as db:
        text, figures = digest_text_for(db, area_code=area_code.strip(), week=chosen, now=now, t=translators()[language],
                                        locale=language, store=not dry_run)  # fmt: skip
        sent = 0 if dry_run else send_to_readers(db, figures=figures, settings=settings, translators=translators(), now=now)
    click.echo(text)
    if not dry_run:
        click.echo(f"\nStored; queued for {sent} reader(s) of {area_code} (operators or TKSK).")


@main.group()
def export() -> None:
    """Export records for reports."""


@export.command("cases")
@click.option("--area", "area_code", required=True, help="Area code: a village, kecamatan, regency …")
@click.option("--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (local), YYYY-MM-DD.")
@click.option("--to", "last", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day (local), included.")
@click.option("--format", "file_format", default="xlsx", show_default=True, type=click.Choice(["xlsx", "csv"]))
@click.option("--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="File to write.")
@click.option("--language", default="id", show_default=True, type=click.Choice(["id", "en"]))
def export_cases_command(area_code: str, first: datetime, last: datetime, file_format: str, output: Path, language: str) -> None:
    """Write the cases opened in an area and period; NIK masked."""
    from app.digest.export import export_cases
    from app.i18n import translators

    if last < first:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    with _database(_settings(), failures=(ValueError,)) as database, database.transaction() as db:
        count = export_cases(db, area_code=area_code.strip(), first=first.date(), last=last.date(), path=output,
                             file_format=file_format, t=translators()[language], now=Clock().now())  # fmt: skip
    click.echo(f"{count} case(s) written to {output}")


@main.group("import")
def import_group() -> None:
    """Import the lists the field already keeps."""


@import_group.command("households")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def import_households_command(file: Path) -> None:
    """Import or update households (KPM) from a CSV or XLSX list.

    Columns (any order and case): nama, nik, kode_wilayah (required); no_kk, alamat, rt, rw, no_hp,
    program (every programme: PKH;Sembako;PBI;…), kelompok. Rejected rows go to <FILE name>_rejected.csv beside FILE.
    """
    from app.households.importer import ImportFileError, import_households, summary_lines

    settings = _settings()
    with _database(settings, failures=(ImportFileError,)) as database:
        result = import_households(database, file, secret_key=settings.identifier_hash_key, now=Clock().now())
    for line in summary_lines(result, file):
        click.echo(line)


@import_group.command("agents")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def import_agents_command(file: Path) -> None:
    """Import or update e-Warong agents from a CSV (or XLSX) list.

    Columns (any order and case): kode_wilayah, nama (required); alamat. An agent is known by its village and
    name: importing again updates its address. Rows with an unknown village are listed and skipped.
    """
    from app.ewarong.importer import import_agents, summary_lines
    from app.households.importer import ImportFileError

    with _database(_settings(), failures=(ImportFileError,)) as database:
        result = import_agents(database, file, now=Clock().now())
    for line in summary_lines(result, file):
        click.echo(line)


@main.command()
@click.option("--phone", required=True, help="The phone number to chat as, e.g. +6281234567890.")
def chat(phone: str) -> None:
    """Chat with the bot in the terminal as the person with this phone number (reads standard input)."""
    from app.terminal_chat import run_terminal_chat

    settings = _settings()
    sys.exit(run_terminal_chat(settings, phone=phone, lines=sys.stdin, interactive=sys.stdin.isatty()))


@main.group()
def privacy() -> None:
    """Personal data (UU 27/2022): retention, a person's export, erasure."""


@privacy.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count what would be blanked.")
def privacy_retention(dry_run: bool) -> None:
    """Blank message texts older than KAWAL_RETENTION_DAYS (kawal serve does it daily)."""
    from app.privacy.retention import apply_retention

    settings = _settings()
    with _database(settings) as database:
        result = apply_retention(database, days=settings.retention_days, now=Clock().now(), dry_run=dry_run)
    verb = "would be blanked" if dry_run else "blanked"
    click.echo(
        f"Older than {result.cutoff.date().isoformat()} ({settings.retention_days} days): {result.inbound} inbound, "
        f"{result.outbound} outbound, {result.reminders} reminder text(s) {verb}."
    )


@privacy.command("export")
@click.option("--phone", required=True, help="The person's phone number: 0812…, 62812… or +62812….")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file (mode 0600) instead of printing.")
def privacy_export(phone: str, output: Path | None) -> None:
    """Everything held about a person, as JSON (NIK/KK masked; their hashes are not given). Audited."""
    import getpass

    from app.privacy.export import as_json, export_subject, write_private
    from app.privacy.subject import UnknownPhone, find_subject

    with _database(_settings(), failures=(UnknownPhone,)) as database, database.transaction() as db:
        subject = find_subject(db, phone)
        if not subject.is_known:
            click.echo(f"Nothing is held about {subject.phone}.", err=True)
            sys.exit(1)
        document = export_subject(db, subject, now=Clock().now(), requested_by=f"cli:{getpass.getuser()}")
        if output is None:
            click.echo(as_json(document), nl=False)
        else:
            write_private(output, document)
    if output is not None:
        click.echo(f"Written to {output} (readable by you only).")


@privacy.command("erase")
@click.option("--phone", required=True, help="The person's phone number: 0812…, 62812… or +62812….")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def privacy_erase(phone: str, yes: bool) -> None:
    """Remove or anonymise a person's data; cases stay (anonymised) for the statistics. Audited."""
    from app.people.phones import mask_phone
    from app.privacy.erase import erase_subject
    from app.privacy.subject import UnknownPhone, find_subject

    settings = _settings()
    with _database(settings, failures=(UnknownPhone,)) as database, database.transaction() as db:
        subject = find_subject(db, phone)
        if not subject.is_known:
            click.echo(f"Nothing is held about {subject.phone}.", err=True)
            sys.exit(1)
        who = f"person #{subject.person.id}" if subject.person is not None else "no person"
        question = (
            f"Erase the personal data of {mask_phone(subject.phone)} ({who}, {len(subject.households)} household(s), "
            f"{len(subject.cases)} case(s))? This cannot be undone."
        )
        if not yes and not click.confirm(question):
            click.echo("Nothing erased.")
            sys.exit(1)
        erased = erase_subject(db, subject, now=Clock().now(), media_dir=settings.media_dir)
    click.echo(
        f"Erased: {erased.identities} channel identity(ies), {erased.households} household(s) and {erased.cases} case(s) "
        f"anonymised, {erased.inbound} inbound and {erased.outbound} outbound message(s) blanked, "
        f"{erased.digests} stored digest(s) renamed, {erased.media_files} media file(s) deleted."
    )


@main.group()
def keys() -> None:
    """The keys derived from KAWAL_SECRET_KEY."""


@keys.command("identifier")
def keys_identifier() -> None:
    """Print the key NIK/KK numbers are hashed with. Set it as KAWAL_IDENTIFIER_KEY before rotating the secret,
    or every stored hash stops matching."""
    click.echo(_settings().identifier_hash_key)


if __name__ == "__main__":
    main()
