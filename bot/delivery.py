"""How a channel sender reports a failed send, so the outbox worker knows what to do next.

    DeliveryFailure
     ├── TransientFailure   network errors, 5xx, 429: try again later (``retry_after`` when the provider says)
     └── PermanentFailure   the provider refused for good; ``unreachable`` when the person blocked us

A transient failure is either *refused* (the provider cannot have taken the
message: connection refused, name not resolved, connect timeout, 429 or another
4xx) or *ambiguous* (the request went out and no clear answer came back: a read
timeout, a dropped connection, a 5xx — the provider may have accepted it and
will deliver it). ``may_have_arrived`` tells them apart; a sender that knows
better says so with ``TransientFailure(..., ambiguous=...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import requests
from telegram.error import RetryAfter
from twilio.base.exceptions import TwilioRestException
from urllib3.exceptions import NewConnectionError

from bot.telegram_http import NotSent


class DeliveryFailure(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientFailure(DeliveryFailure):
    def __init__(self, reason: str, *, retry_after: float | None = None, ambiguous: bool | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.ambiguous = ambiguous
        """True/False when the sender knows; None: judged from the error that caused it (``may_have_arrived``)."""


class PermanentFailure(DeliveryFailure):
    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


# errors raised before a single byte of the request reached the provider
_NOT_SENT = (
    NotSent,  # Telegram (bot.telegram_http): refused, unreachable, DNS, a connect timeout
    httpx.ConnectError,  # refused, unreachable, DNS
    httpx.ConnectTimeout,
    httpx.PoolTimeout,  # no free connection: the request never left
    requests.exceptions.ConnectTimeout,
    NewConnectionError,  # under requests' ConnectionError: refused, unreachable, DNS (NameResolutionError)
    RetryAfter,  # Telegram 429
)


def may_have_arrived(failure: TransientFailure) -> bool:
    """Whether the provider may have accepted the message despite the failure (so a retry may duplicate it).

    Unknown errors count as ambiguous: retrying them unboundedly is what turned 20 messages into 80 sends.
    """
    if failure.ambiguous is not None:
        return failure.ambiguous
    if failure.retry_after is not None:
        return False  # "too many requests": refused, come back later
    for error in _causes(failure):
        if isinstance(error, _NOT_SENT):
            return False
        if isinstance(error, TwilioRestException) and 400 <= error.status < 500:
            return False
    return True


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The errors behind ``error``: its causes and contexts, and what requests/urllib3 wrap inside (bounded)."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending and len(seen) < 32:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        pending += [e for e in inner if isinstance(e, BaseException)]
