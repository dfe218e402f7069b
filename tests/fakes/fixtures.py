"""Pytest fixtures that start a fake provider server for one test and stop it afterwards.

Use them from a conftest with either::

    pytest_plugins = ["tests.fakes.fixtures"]          # root conftest only
    from tests.fakes.fixtures import fake_telegram, fake_twilio  # noqa: F401

The credentials are fixed so tests can build clients and webhook signatures from them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi

TELEGRAM_TEST_TOKEN = "123456789:AAF-kawal-bansos-test-token_0123456"
TWILIO_TEST_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TEST_AUTH_TOKEN = "fedcba9876543210" * 2
TWILIO_TEST_WHATSAPP_FROM = "whatsapp:+14155238886"


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegramApi]:
    """A running :class:`FakeTelegramApi` for ``TELEGRAM_TEST_TOKEN``; fails the test if the fake itself crashed."""
    with FakeTelegramApi(token=TELEGRAM_TEST_TOKEN) as fake:
        yield fake
    assert not fake.errors, f"FakeTelegramApi raised: {fake.errors!r}"


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioApi]:
    """A running :class:`FakeTwilioApi` for the test account; fails the test if the fake itself crashed."""
    with FakeTwilioApi(account_sid=TWILIO_TEST_ACCOUNT_SID, auth_token=TWILIO_TEST_AUTH_TOKEN) as fake:
        yield fake
    assert not fake.errors, f"FakeTwilioApi raised: {fake.errors!r}"
