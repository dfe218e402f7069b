"""Observability: /readyz follows the background workers, /metrics moves with traffic, log lines are JSON with
the message id and no phone number or NIK in clear."""

from __future__ import annotations

import io
import json
import logging
import re
import time

from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from app.heartbeats import Heartbeats
from app.log_format import JsonFormatter, TextFormatter, current_message_id, mask_numbers
from app.web import create_app
from tests.fakes.fixtures import TWILIO_TEST_AUTH_TOKEN
from tests.integration.channel_setup import PUBLIC_URL, channel_settings

PHONE = "+6285712345678"


def whatsapp_form(sid: str, body: str) -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": f"whatsapp:{PHONE}", "To": "whatsapp:+14155238886",
            "Body": body, "NumMedia": "0", "ProfileName": "Bu Sari", "WaId": PHONE.lstrip("+")}  # fmt: skip


def post_whatsapp(client: TestClient, form: dict[str, str]):  # type: ignore[no-untyped-def]
    path = "/webhooks/whatsapp"
    signature = RequestValidator(TWILIO_TEST_AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def wait_until(check, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    return check()


def test_readyz_fails_when_the_delivery_worker_dies(settings, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa = channel_settings(settings, fake_twilio=fake_twilio, scheduler_enabled=True, scheduler_interval_seconds=0.2)
    with TestClient(create_app(wa), base_url="http://testserver") as client:
        ready = wait_until(lambda: (r := client.get("/readyz")).status_code == 200 and r.json()["place_names"] == "read" and r)
        assert ready and ready.json() == {"status": "ready", "database": "reachable", "scheduler": "active",
                                          "workers": {"delivery": "alive", "scheduler": "alive"},
                                          "place_names": "read"}  # fmt: skip
        worker = next(task for task in _tasks(client) if task.get_name() == "outbox-worker")
        client.portal.call(_cancel, worker)  # the worker dies (as on an unhandled error)
        refused = client.get("/readyz")
        assert refused.status_code == 503
        assert refused.json()["workers"] == {"delivery": "stopped", "scheduler": "alive"}
        assert client.get("/healthz").status_code == 200  # the database still answers: alive, not ready


def test_a_worker_that_stops_beating_is_silent() -> None:
    moments = [0.0]
    beats = Heartbeats(monotonic=lambda: moments[0])
    beats.expect("scheduler", interval=30)
    moments[0] = 89.0
    assert beats.report() == {"scheduler": "alive"}
    moments[0] = 91.0
    assert beats.report() == {"scheduler": "silent"}
    beats.beat("scheduler")
    assert beats.report() == {"scheduler": "alive"}


def test_metrics_move_with_traffic(settings, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    wa = channel_settings(settings, fake_twilio=fake_twilio)
    with TestClient(create_app(wa, background=False), base_url="http://testserver") as client:
        before = _samples(client.get("/metrics").text)
        assert post_whatsapp(client, whatsapp_form("SM" + "1" * 32, "halo")).status_code == 200
        assert post_whatsapp(client, whatsapp_form("SM" + "1" * 32, "halo")).status_code == 200  # Twilio again
        scraped = client.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    after = _samples(scraped.text)
    processed = 'kawal_inbound_messages_total{channel="whatsapp",outcome="processed"}'
    duplicate = 'kawal_inbound_messages_total{channel="whatsapp",outcome="duplicate"}'
    assert after[processed] - before.get(processed, 0) == 1
    assert after[duplicate] - before.get(duplicate, 0) == 1
    count = 'kawal_pipeline_seconds_count{channel="whatsapp"}'
    assert after[count] - before.get(count, 0) == 2
    assert after['kawal_outbox_depth{status="queued"}'] >= 1  # the reply, not sent: no worker in this app
    assert after["kawal_outbox_oldest_age_seconds"] >= 0


def test_a_json_log_line_carries_the_message_id_and_no_phone_number(settings, fake_twilio, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("app").addHandler(handler)

    def broken_step(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"step failed for {PHONE} with NIK 3273074506800001")

    monkeypatch.setattr("app.pipeline.step", broken_step)
    wa = channel_settings(settings, fake_twilio=fake_twilio)
    try:
        with TestClient(create_app(wa, background=False), base_url="http://testserver") as client:
            assert post_whatsapp(client, whatsapp_form("SM" + "2" * 32, "halo")).status_code == 200
    finally:
        logging.getLogger("app").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    failed = [line for line in lines if line["message"] == "inbound message failed"]
    assert len(failed) == 1
    assert failed[0]["message_id"] == "whatsapp:SM" + "2" * 32 and failed[0]["level"] == "error"
    assert failed[0]["channel"] == "whatsapp"  # the code's extra field
    assert "RuntimeError" in failed[0]["error"]
    text = stream.getvalue()
    assert "85712345678" not in text and "3273074506800001" not in text
    assert "+6285*******78" in failed[0]["error"]


def test_the_text_format_appends_the_fields_and_masks_numbers() -> None:
    record = logging.LogRecord("app.delivery", logging.WARNING, __file__, 1, "sent to %s", ("whatsapp:+6281234567890",), None)
    record.outbox_id = 7
    token = current_message_id.set("telegram:42")
    try:
        line = TextFormatter().format(record)
    finally:
        current_message_id.reset(token)
    assert line.endswith("WARNING app.delivery: sent to whatsapp:+6281*******90 message_id=telegram:42 outbox_id=7")
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} WARNING", line), line  # the time is not a phone number
    assert mask_numbers("+62 812-3456-7890, 0812 3456 7890, NIK 3273074506800001") == "+6281*******90, 0812******90, NIK 3273**********01"


def _samples(text: str) -> dict[str, float]:
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def _tasks(client: TestClient):  # type: ignore[no-untyped-def]
    import asyncio

    return client.portal.call(lambda: _all_tasks(asyncio))


async def _all_tasks(asyncio):  # type: ignore[no-untyped-def]
    return list(asyncio.all_tasks())


async def _cancel(task) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    from contextlib import suppress

    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
