"""Every scenario in ``tests/transcripts/*.txt`` replayed against the pure engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.transcript import parse, play, rewrite

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "transcripts").glob("*.txt"))
CASES = [(path, scenario) for path in TRANSCRIPTS for scenario in parse(path)]


def test_there_are_transcripts() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(("path", "scenario"), CASES, ids=[f"{p.stem}: {s.title}" for p, s in CASES])
def test_transcript(path, scenario, gazetteer, catalog_translators, request) -> None:  # type: ignore[no-untyped-def]
    rendered = play(scenario, gazetteer=gazetteer, translators=catalog_translators)
    if request.config.getoption("--update-transcripts"):
        rewrite(path, {scenario.title: rendered})
        return
    assert rendered == scenario.text
