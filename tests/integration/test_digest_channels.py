"""The Monday digest reaches operators on Telegram (text, photo, document) and WhatsApp (text, then the chart and
the workbook from signed, expiring links the app serves to Twilio)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from app.demo import PASTEUR, seed_demo
from app.digest.service import plan_weekly_digests
from app.media import MediaStore
from app.models import ChannelIdentity, Person
from app.people.service import grant_role
from app.reminders.dispatch import dispatch_due
from tests.conftest import FIXED_NOW, SECRET
from tests.integration.channel_setup import PUBLIC_URL, SteppingClock, channel_settings, run_worker, web_client

MONDAY_0700_WIB = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
CHAT = "512345678"
WHATSAPP_OPERATOR = "+6281377770001"


def test_operators_receive_the_digest_with_chart_and_workbook_on_both_channels(settings, database, runtime, fake_telegram, fake_twilio, catalog_translators) -> None:  # type: ignore[no-untyped-def]
    both = channel_settings(settings, fake_telegram=fake_telegram, fake_twilio=fake_twilio)
    clock = SteppingClock(MONDAY_0700_WIB)
    with database.transaction() as db:
        seed_demo(db, secret_key=SECRET, now=FIXED_NOW)
        hendra = db.scalars(select(Person).where(Person.display_name == "Pak Hendra")).one()
        db.add(ChannelIdentity(person_id=hendra.id, channel="telegram", address=CHAT, created_at=FIXED_NOW, last_inbound_at=MONDAY_0700_WIB - timedelta(hours=2)))
        other = Person(display_name="Bu Operator", phone=WHATSAPP_OPERATOR, locale="en", area_code=PASTEUR, consent_given_at=FIXED_NOW, created_at=FIXED_NOW)
        db.add(other)
        db.flush()
        db.add(ChannelIdentity(person_id=other.id, channel="whatsapp", address=WHATSAPP_OPERATOR, created_at=FIXED_NOW, last_inbound_at=MONDAY_0700_WIB - timedelta(hours=3)))
        grant_role(db, person=other, role="operator", area_code=PASTEUR, now=FIXED_NOW)
    plan_weekly_digests(database, settings=both, translators=catalog_translators, media=MediaStore(both.media_dir, both.media_max_bytes), now=MONDAY_0700_WIB)
    assert dispatch_due(database, settings=both, now=MONDAY_0700_WIB).queued == 4  # also Bu Rina and Bu Yuni, in the simulator
    run_worker(both, database, runtime, clock, lambda w: w.deliver_batch())

    [text] = fake_telegram.calls_to("sendMessage")
    assert text.params["text"].startswith("Ringkasan mingguan Pasteur, 23 November 2026 – 29 November 2026")
    assert len(fake_telegram.calls_to("sendPhoto")) == 1
    [document] = fake_telegram.calls_to("sendDocument")
    assert any(f.filename == "ringkasan-32.73.07.1001-2026-W48.xlsx" for f in document.files.values())

    text_message, *attachments = fake_twilio.messages
    assert text_message.body.startswith("Weekly summary Pasteur") and len(attachments) == 2
    links = [message.media_urls[0] for message in attachments]
    assert all(link.startswith(f"{PUBLIC_URL}/media/") for link in links)
    with web_client(both, clock) as client:
        chart, workbook = (client.get(urlsplit(link).path + "?" + urlsplit(link).query) for link in links)
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")
        assert workbook.status_code == 200 and workbook.content.startswith(b"PK")  # a zip: XLSX
        # named for what they are, in the link (what WhatsApp saves the file as) and in the download
        assert [urlsplit(link).path.rsplit("/", 1)[1] for link in links] == ["ringkasan-32.73.07.1001-2026-W48.png", "ringkasan-32.73.07.1001-2026-W48.xlsx"]
        assert workbook.headers["content-disposition"] == 'attachment; filename="ringkasan-32.73.07.1001-2026-W48.xlsx"'
        renamed = urlsplit(links[1]).path.replace("W48.xlsx", "W47.xlsx") + "?" + urlsplit(links[1]).query
        assert client.get(renamed).status_code == 404  # the name is signed
        unnamed = urlsplit(links[1]).path.rsplit("/", 1)[0] + "?" + urlsplit(links[1]).query
        assert client.get(unnamed).status_code == 404
        forged = urlsplit(links[0]).path + "?" + urlsplit(links[0]).query.replace("signature=", "signature=0")
        assert client.get(forged).status_code == 404
        assert client.get(urlsplit(links[0]).path).status_code == 404
        clock.advance(hours=49)  # links last 48 hours
        assert client.get(urlsplit(links[0]).path + "?" + urlsplit(links[0]).query).status_code == 404
