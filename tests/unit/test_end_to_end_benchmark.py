"""The end-to-end benchmark's own bookkeeping: the workload it posts and how it counts replies missing and duplicated.

The benchmark fails only on a reply missing or duplicated, so that count must be right; timings are never asserted.
"""

from __future__ import annotations

import json
import os

from benchmarks import _e2e_load as load
from benchmarks._e2e_process import cpu_seconds, peak_rss_mb
from benchmarks._ptb_bot import expected_replies

EXPECTED = [["Q1"], ["A", "Menu"], ["Nomor laporan: KB-7Q4K2", "Menu"]]


def sent(*texts: str, start: float = 100.0) -> list[tuple[float, str]]:
    return [(start + index, load.mask(text)) for index, text in enumerate(texts)]


def posted(people: int) -> load.Load:
    result = load.Load()
    for person in range(people):
        for turn in range(len(EXPECTED)):
            result.first_sent[(person, turn)] = 99.0 + turn
    return result


def test_every_reply_once_counts_nothing_missing_and_times_each_turn() -> None:
    chats = {load.chat_id(0): 0}
    replies = {load.chat_id(0): sent("Q1", "A", "Menu", "Nomor laporan: KB-ABC12", "Menu")}

    delivery = load.compare(replies, EXPECTED, posted(1), chats)

    assert not delivery.missing and not delivery.duplicated
    assert (delivery.chats_missing, delivery.chats_duplicated) == (0, 0)
    # replies at 100..104, turns posted at 99, 100, 101: first and last reply of each turn
    assert delivery.first_reply == [1.0, 1.0, 2.0]
    assert delivery.last_reply == [1.0, 2.0, 3.0]


def test_a_missing_reply_and_a_duplicated_one_are_both_counted_even_when_the_totals_match() -> None:
    chats = {load.chat_id(0): 0, load.chat_id(1): 1}
    replies = {
        load.chat_id(0): sent("Q1", "A", "A", "Nomor laporan: KB-ZZZZ9", "Menu"),  # "Menu" once, "A" twice
        load.chat_id(1): sent("Q1", "A", "Menu", "Menu"),  # the receipt never came
    }

    delivery = load.compare(replies, EXPECTED, posted(2), chats)

    assert delivery.missing == {"Menu": 1, "Nomor laporan: KB-X": 1}
    assert delivery.duplicated == {"A": 1}
    assert (delivery.chats_missing, delivery.chats_duplicated) == (2, 1)
    assert delivery.first_reply == []  # no timings from chats that did not get exactly what was expected


def test_a_chat_that_got_nothing_misses_every_reply() -> None:
    delivery = load.compare({load.chat_id(3): []}, EXPECTED, posted(4), {load.chat_id(3): 3})

    assert sum(delivery.missing.values()) == 5
    assert delivery.chats_missing == 1


def test_each_person_writes_the_report_in_order_round_by_round_with_unique_update_ids() -> None:
    batches = load.rounds(5)

    assert len(batches) == len(load.TURNS) == 11
    ids = set()
    for turn, batch in enumerate(batches):
        assert sorted(post.person for post in batch) == list(range(5))
        for post in batch:
            update = json.loads(post.content)
            assert post.turn == turn
            assert update["message"]["text"] == load.TURNS[turn]
            assert update["message"]["chat"]["id"] == load.chat_id(post.person)
            ids.add(update["update_id"])
    assert len(ids) == 5 * 11


def test_the_common_bot_answers_each_turn_like_kawal_does() -> None:
    replies = expected_replies(load.VILLAGE, load.HOUSEHOLD)

    assert [len(turn) for turn in replies] == [1, 1, 2, 1, 1, 1, 1, 4, 2, 1, 2]
    assert any("Siti Aminah" in text for turn in replies for text in turn)


def test_cpu_time_and_peak_memory_are_read_from_proc() -> None:
    assert cpu_seconds(os.getpid()) > 0
    assert peak_rss_mb(os.getpid()) > 10


def test_a_chat_that_got_every_reply_in_another_order_is_out_of_order() -> None:
    chats = {load.chat_id(0): 0}
    replies = {load.chat_id(0): sent("A", "Q1", "Menu", "Nomor laporan: KB-ABC12", "Menu")}

    delivery = load.compare(replies, EXPECTED, posted(1), chats)

    assert not delivery.missing and not delivery.duplicated
    assert delivery.chats_out_of_order == 1


def test_whatsapp_posts_are_signed_as_twilio_signs_them_and_read_as_the_persons_turns() -> None:
    from urllib.parse import parse_qsl

    from twilio.request_validator import RequestValidator

    from bot import whatsapp

    channel = load.WhatsAppLoad("https://kawal.example.org", "fedcba9876543210" * 2)
    post = channel.post(3, 2)
    form = dict(parse_qsl(post.content.decode()))
    signature = dict(post.headers)["X-Twilio-Signature"]

    assert post.path == load.WHATSAPP_PATH
    assert RequestValidator(channel.auth_token).validate("https://kawal.example.org" + post.path, form, signature)
    assert not RequestValidator("another-token").validate("https://kawal.example.org" + post.path, form, signature)
    incoming = whatsapp.parse_form(form)
    assert incoming is not None
    assert (incoming.envelope.phone, incoming.envelope.inbound.text) == (channel.chat(3), load.TURNS[2])
    assert len({channel.post(person, turn).content for person in range(3) for turn in range(len(load.TURNS))}) == 33
