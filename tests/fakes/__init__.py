"""Local fake servers for Telegram's Bot API and Twilio's REST API, driven by the real client libraries.

- :mod:`tests.fakes.telegram_api` — :class:`FakeTelegramApi`
- :mod:`tests.fakes.twilio_api` — :class:`FakeTwilioApi`
- :mod:`tests.fakes.fixtures` — pytest fixtures ``fake_telegram`` and ``fake_twilio``
"""
