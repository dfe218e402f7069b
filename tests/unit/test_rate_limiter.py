"""The central rate limiter: a channel-wide pace and a per-chat pace."""

from __future__ import annotations

from app.delivery import RateLimiter


def test_channel_pace_spreads_many_chats_at_thirty_a_second() -> None:
    limiter = RateLimiter(per_second=30, per_chat_seconds=1)
    times = [limiter.reserve(f"chat{n}", now=0.0) for n in range(90)]
    assert times[0] == 0.0
    assert abs(times[-1] - 89 / 30) < 1e-3
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) == 30


def test_one_chat_gets_one_message_a_second() -> None:
    limiter = RateLimiter(per_second=30, per_chat_seconds=1)
    assert [limiter.reserve("same", now=0.0) for _ in range(3)] == [0.0, 1.0, 2.0]


def test_a_provider_pause_delays_everything() -> None:
    limiter = RateLimiter(per_second=30, per_chat_seconds=1)
    limiter.pause_until(5.0)
    assert limiter.reserve("a", now=0.0) == 5.0
