"""Every scenario in ``tests/transcripts/chat/*.txt`` played through the whole service (see ``tests/chat_transcript.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chat_transcript import play_chat
from tests.transcript import parse, rewrite

TRANSCRIPTS = sorted((Path(__file__).resolve().parents[1] / "transcripts" / "chat").glob("*.txt"))
CASES = [(path, scenario) for path in TRANSCRIPTS for scenario in parse(path)]


@pytest.mark.parametrize(("path", "scenario"), CASES, ids=[f"{p.stem}: {s.title}" for p, s in CASES])
def test_chat_transcript(path, scenario, database, runtime, monkeypatch, request) -> None:  # type: ignore[no-untyped-def]
    rendered = play_chat(scenario, database=database, runtime=runtime, monkeypatch=monkeypatch)
    if request.config.getoption("--update-transcripts"):
        if runtime.settings.is_sqlite:
            rewrite(path, {scenario.title: rendered})
        return
    assert rendered == scenario.text
