"""A companion joins, logs a PPKS case with a photo, follows it up and closes it — on Telegram and on WhatsApp,
through the real webhooks and provider clients against the fake servers."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.models import Case, CaseEvent, Invitation
from tests.conftest import FIXED_NOW
from tests.integration.channel_setup import TELEGRAM_SECRET, channel_settings, web_client
from tests.integration.test_whatsapp import signed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PHOTO = b"\xff\xd8\xff\xe0 a photo of Mbah Sarinah's house"
_ids = itertools.count(1000)


def invite(database, code: str) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    with database.transaction() as db:
        db.add(Invitation(code=code, role="tksk", area_code="35.17.18", created_at=FIXED_NOW, expires_at=FIXED_NOW + timedelta(days=7)))


def log_follow_up_and_close(say: Callable[[str], None], send_photo: Callable[[], None], database) -> Case:  # type: ignore[no-untyped-def]
    for text in ("1", "kasus baru", "4", "Mbah Sarinah", "3/5", "lansia", "Tinggal sendiri, sakit, tidak ada yang merawat"):
        say(text)
    send_photo()
    for text in ("1", "Antar ke Puskesmas", "1 3", "besok", "1"):  # photos done, plan, partners, follow-up, save
        say(text)
    with database.transaction() as db:
        case = db.scalars(select(Case)).one()
    for text in (case.reference, "6", "senin", "4", "Sudah dirawat di rumah anaknya"):
        say(text)  # a new follow-up date; the case's actions come back: resolved with the outcome
    with database.transaction() as db:
        case = db.scalars(select(Case)).one()
        kinds = list(db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    assert (case.category, case.status, case.household_name) == ("ppks:08", "resolved", "Mbah Sarinah")
    assert kinds == ["opened", "follow_up_set", "status_changed"]
    return case


def stored_photo(settings, case: Case) -> bytes:  # type: ignore[no-untyped-def]
    from app.media import MediaStore
    from conversations.types import MediaRef

    [ref] = case.details["media"]
    return MediaStore(settings.media_dir, settings.media_max_bytes).path_of(MediaRef(ref, "image/jpeg")).read_bytes()


def test_telegram(settings, database, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    invite(database, "AB23CD45")
    tg = channel_settings(settings, fake_telegram=fake_telegram)
    base = json.loads((FIXTURES / "telegram" / "message_text.json").read_text())
    photo = json.loads((FIXTURES / "telegram" / "photo.json").read_text())
    fake_telegram.add_file(photo["message"]["photo"][-1]["file_id"], PHOTO, "photos/file_7.jpg")
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    with web_client(tg) as client:

        def post(update: dict) -> None:  # type: ignore[type-arg]
            update = copy.deepcopy(update)
            update["update_id"] = update["message"]["message_id"] = next(_ids)
            assert client.post("/webhooks/telegram", json=update, headers=headers).status_code == 200

        def say(text: str) -> None:
            post({**base, "message": {**base["message"], "text": text}})

        say("/start AB23CD45")
        case = log_follow_up_and_close(say, lambda: post({**photo, "message": {**photo["message"], "caption": ""}}), database)
    assert stored_photo(tg, case) == PHOTO


def test_whatsapp(settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    invite(database, "EF67GH89")
    wa = channel_settings(settings, fake_twilio=fake_twilio)
    base = json.loads((FIXTURES / "twilio" / "inbound_text.json").read_text())
    image = json.loads((FIXTURES / "twilio" / "inbound_image.json").read_text())
    image["MediaUrl0"] = fake_twilio.add_media(fake_twilio.media_path(), PHOTO)
    with web_client(wa) as client:

        def post(form: dict[str, str]) -> None:
            form = {**form, "MessageSid": f"SM{next(_ids):032d}"}
            assert client.post("/webhooks/whatsapp", data=form, headers=signed("/webhooks/whatsapp", form)).status_code == 200

        post({**base, "Body": "DAFTAR EF67GH89"})
        case = log_follow_up_and_close(lambda text: post({**base, "Body": text}), lambda: post(image), database)
    assert stored_photo(wa, case) == PHOTO
