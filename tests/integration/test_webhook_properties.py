"""Property tests: whatever a provider posts (validly signed), the webhook never answers 5xx.

Hypothesis builds Telegram updates and Twilio forms from real shapes, then breaks them: values
swapped for other JSON types, keys removed, odd text (NUL, lone surrogates, right-to-left marks,
very long lines), unknown update kinds and fields. Each one is posted through the real app twice
(Telegram and Twilio both deliver again) and these must hold:

- the answer is 200 (or 400 for a body that is not an update at all), never a 5xx;
- nothing is stored half-way: at most one inbound row per update, processed, and any reply belongs to it;
- at most one reply per update, and none more when the same update comes again.

Runs are bounded and seeded (``derandomize=True``) so ``make test`` stays fast and repeatable.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from app.db import Database
from app.models import InboundMessage, OutboundMessage
from tests.fakes.fixtures import TWILIO_TEST_AUTH_TOKEN
from tests.integration.channel_setup import PUBLIC_URL, TELEGRAM_SECRET, channel_settings, web_client

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE_CHAT = 512345678
BOUNDED = hypothesis_settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD_TEXTS = [
    "", " ", "\x00", "kartu\x00hilang", "\ud800", "saldo \udfff kosong", "\u202eterbalik", "🙏🏽", "١٢٣",
    "/start", "/start x y", "STOP", "0", "-1", "9" * 40, "a" * 6000, "[[[[", "{\"a\":", "\r\n\t", "null",
]  # fmt: skip
odd_text = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.text(st.characters(exclude_categories=()), max_size=40),  # surrogates included
)
json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False), odd_text
)
json_value = st.recursive(
    json_leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3), max_leaves=6
)
TELEGRAM_BASES = [
    "message_text", "photo", "voice", "location", "contact_shared", "sticker", "edited_message", "group_message",
    "callback_query", "my_chat_member_blocked", "message_start_deeplink",
]  # fmt: skip
UPDATE_KINDS = ["poll_answer", "poll", "business_message", "chat_join_request", "message_reaction", "channel_post"]


def telegram_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "telegram" / f"{name}.json").read_text())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value, as keys and indexes from the top."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        root = root[key]
    return root


@st.composite
def telegram_updates(draw: st.DrawFn) -> dict[str, Any]:
    """A real update, then up to three breakages: a value replaced, a key removed, odd text, an unknown kind."""
    update = telegram_fixture(draw(st.sampled_from(TELEGRAM_BASES)))
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(update) if p != ("update_id",)]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(update, path)
        action = draw(st.sampled_from(["replace", "delete", "text"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(odd_text if action == "text" else json_value)
    if draw(st.integers(0, 4)) == 0:
        update[draw(st.sampled_from(UPDATE_KINDS))] = draw(json_value)
    return update


def _renumber(value: Any, chat: int) -> Any:
    """The fixture's chat id replaced by ``chat``, so each example is a new person (replies are counted per update)."""
    if isinstance(value, dict):
        return {key: _renumber(item, chat) for key, item in value.items()}
    if isinstance(value, list):
        return [_renumber(item, chat) for item in value]
    return chat if value == FIXTURE_CHAT and type(value) is int else value


def _counts(database: Database) -> tuple[int, int]:
    with database.transaction() as db:
        inbound = db.scalar(select(func.count()).select_from(InboundMessage)) or 0
        outbound = db.scalar(select(func.count()).select_from(OutboundMessage)) or 0
    return inbound, outbound


def _assert_nothing_half_way(database: Database, before: tuple[int, int], after: tuple[int, int]) -> None:
    new_inbound, new_replies = after[0] - before[0], after[1] - before[1]
    assert new_inbound <= 1, "one update, one inbound row"
    assert new_replies <= 1, "at most one reply per update"
    assert new_replies == 0 or new_inbound == 1, "a reply always belongs to a kept message"
    if new_inbound:
        with database.transaction() as db:
            row = db.scalars(select(InboundMessage).order_by(InboundMessage.id.desc()).limit(1)).one()
            assert row.status == "processed" and row.processed_at is not None, (row.kind, row.status, row.error)


@pytest.fixture
def tg_settings(settings, fake_telegram):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_telegram=fake_telegram)


@pytest.fixture
def wa_settings(settings, fake_twilio):  # type: ignore[no-untyped-def]
    return channel_settings(settings, fake_twilio=fake_twilio)


def test_any_telegram_update_is_answered_without_a_5xx(tg_settings, database) -> None:  # type: ignore[no-untyped-def]
    numbers = itertools.count(1)
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    with web_client(tg_settings) as client:

        @BOUNDED
        @given(update=telegram_updates())
        def check(update: dict[str, Any]) -> None:
            number = next(numbers)
            update = {**_renumber(update, 600_000_000 + number), "update_id": 900_000_000 + number}
            body = json.dumps(update)  # \uXXXX escapes, as Telegram sends them
            before = _counts(database)
            first = client.post("/webhooks/telegram", content=body, headers=headers)
            assert first.status_code in (200, 400), (first.status_code, first.text)
            after = _counts(database)
            _assert_nothing_half_way(database, before, after)
            again = client.post("/webhooks/telegram", content=body, headers=headers)
            assert again.status_code == first.status_code
            assert _counts(database) == after, "a redelivered update changes nothing"

        check()


form_text = st.one_of(st.sampled_from([t for t in ODD_TEXTS if "\ud800" not in t and "\udfff" not in t]), st.text(max_size=40))
MEDIA_URLS = ["http://[::1", "not a link", "https://evil.example.org/photo.jpg", "ftp://api.twilio.com/x", "", "https://"]


@st.composite
def twilio_forms(draw: st.DrawFn, media_base: str) -> dict[str, str]:
    """A WhatsApp message form from Twilio's fields with odd values; unknown fields now and then."""
    form = {"MessageSid": "", "From": "", "Body": draw(form_text), "ProfileName": draw(form_text), "To": "whatsapp:+14155238886"}
    extras = {
        "NumMedia": st.sampled_from(["0", "1", "2", "-1", "x", "99999999999999999999"]),
        "MediaUrl0": st.one_of(
            st.sampled_from(MEDIA_URLS), st.sampled_from(MEDIA_URLS), st.just(f"{media_base}/2010-04-01/Media/ME404"), form_text
        ),  # broken links twice as often
        "MediaContentType0": st.sampled_from(["image/jpeg", "audio/ogg", "video/mp4", "", "image/", "x"]),
        "Latitude": st.sampled_from(["-6.9", "nan", "inf", "1e999", "x", ""]),
        "Longitude": st.sampled_from(["107.6", "-inf", "", "0x10"]),
        "ButtonPayload": form_text,
        "ButtonText": form_text,
        "OriginalRepliedMessageSid": form_text,
    }
    for name in draw(st.lists(st.sampled_from(sorted(extras)), max_size=5, unique=True)):
        form[name] = draw(extras[name])
    if draw(st.booleans()):  # a photo or voice note, its link often broken
        form |= {"NumMedia": "1", "MediaUrl0": draw(extras["MediaUrl0"]), "MediaContentType0": draw(extras["MediaContentType0"])}
    if draw(st.integers(0, 5)) == 0:
        form[draw(st.text("ABCDEFGHIJ", min_size=1, max_size=6))] = draw(form_text)
    return form


def test_any_twilio_form_is_answered_without_a_5xx(wa_settings, database, fake_twilio) -> None:  # type: ignore[no-untyped-def]
    numbers = itertools.count(1)
    validator = RequestValidator(TWILIO_TEST_AUTH_TOKEN)
    path = "/webhooks/whatsapp"
    with web_client(wa_settings) as client:

        @BOUNDED
        @given(form=twilio_forms(fake_twilio.url), sender=st.sampled_from(["a person"] * 9 + ["not a number"]))
        def check(form: dict[str, str], sender: str) -> None:
            number = next(numbers)
            form = {
                **form,
                "MessageSid": f"SM{number:032x}",
                "From": f"whatsapp:+62812{number:08d}" if sender == "a person" else "whatsapp:+62x",
            }
            headers = {"X-Twilio-Signature": validator.compute_signature(PUBLIC_URL + path, form)}
            before = _counts(database)
            first = client.post(path, data=form, headers=headers)
            assert first.status_code == 200, (first.status_code, first.text)
            after = _counts(database)
            _assert_nothing_half_way(database, before, after)
            assert client.post(path, data=form, headers=headers).status_code == 200
            assert _counts(database) == after, "a redelivered message changes nothing"

        check()
