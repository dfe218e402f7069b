"""The central rate limiter: a channel-wide pace and a per-chat pace, measured on real (short) waits."""

from __future__ import annotations

import asyncio
import time

from app.delivery import RateLimiter


def sends(limiter: RateLimiter, chats: list[str]) -> list[tuple[str, float]]:
    """Acquire a slot for each chat concurrently (each chat's messages one after another); when each went."""
    moments: list[tuple[str, float]] = []

    async def chat_sends(chat: str, count: int) -> None:
        for _ in range(count):
            await limiter.acquire(chat)
            moments.append((chat, time.monotonic()))

    async def scenario() -> None:
        counts = {chat: chats.count(chat) for chat in dict.fromkeys(chats)}
        await asyncio.gather(*(chat_sends(chat, n) for chat, n in counts.items()))

    asyncio.run(scenario())
    return moments


def test_channel_pace_is_never_exceeded_across_many_chats() -> None:
    moments = [t for _chat, t in sends(RateLimiter(per_second=200, per_chat_seconds=1), [f"c{n}" for n in range(40)])]
    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    assert len(moments) == 40
    assert min(gaps) >= 1 / 200 - 1e-4


def test_one_chat_waits_its_turn_without_holding_up_others() -> None:
    moments = sends(RateLimiter(per_second=200, per_chat_seconds=0.2), ["busy", "busy", "busy", "a", "b", "c"])
    busy = [t for chat, t in moments if chat == "busy"]
    others = [t for chat, t in moments if chat != "busy"]
    assert min(b - a for a, b in zip(busy, busy[1:], strict=False)) >= 0.2 - 1e-3
    assert max(others) < busy[1]  # the other chats went while "busy" waited


def test_a_provider_pause_delays_everything() -> None:
    limiter = RateLimiter(per_second=200, per_chat_seconds=0)
    started = time.monotonic()
    limiter.pause_until(started + 0.15)
    [(_chat, moment)] = sends(limiter, ["a"])
    assert moment - started >= 0.15 - 1e-3
