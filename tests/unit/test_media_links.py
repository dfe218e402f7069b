"""Signed media links: a file may carry the name it saves as, and that name is part of what is signed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from app.media_links import MediaLinks
from conversations.types import MediaRef

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
XLSX = MediaRef("sha256:" + "ab" * 32, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
LINKS = MediaLinks("https://kawal.example", "secret-key-for-links-123", timedelta(hours=48))


def parts(url: str) -> tuple[str, str, int, str]:
    """The stored file's name, the name shown (or ""), the expiry and the signature of a link."""
    split = urlsplit(url)
    name, *shown = split.path.removeprefix("/media/").split("/")
    query = parse_qs(split.query)
    return name, shown[0] if shown else "", int(query["expires"][0]), query["signature"][0]


def test_a_named_link_ends_in_its_name_and_only_that_name_verifies() -> None:
    url = LINKS.url(XLSX, now=NOW, filename="ringkasan-32.73.07.1001-2026-W48.xlsx")
    assert urlsplit(url).path == "/media/" + "ab" * 32 + ".xlsx/ringkasan-32.73.07.1001-2026-W48.xlsx"
    name, filename, expires, signature = parts(url)
    assert LINKS.verify(name, expires, signature, now=NOW, filename=filename)
    assert not LINKS.verify(name, expires, signature, now=NOW, filename="ringkasan-32.73.07.1001-2026-W47.xlsx")
    assert not LINKS.verify(name, expires, signature, now=NOW)  # nor without it
    assert not LINKS.verify(name, expires, signature, now=NOW + timedelta(hours=49), filename=filename)


def test_a_link_without_a_name_keeps_its_old_form_and_signature() -> None:
    url = LINKS.url(XLSX, now=NOW)
    name, filename, expires, signature = parts(url)
    assert filename == "" and urlsplit(url).path == "/media/" + "ab" * 32 + ".xlsx"
    assert LINKS.verify(name, expires, signature, now=NOW)
    assert not LINKS.verify(name, expires, signature, now=NOW, filename="kasus.xlsx")


def test_unsafe_names_and_other_extensions_are_not_used() -> None:
    for unsafe in ("../../etc/passwd.xlsx", 'a"b.xlsx', "laporan.exe", "ringkasan.png", ".xlsx", "nama dengan spasi.xlsx"):
        url = LINKS.url(XLSX, now=NOW, filename=unsafe)
        assert urlsplit(url).path == "/media/" + "ab" * 32 + ".xlsx", unsafe
        name, _none, expires, signature = parts(url)
        assert not LINKS.verify(name, expires, LINKS._signature(name, expires, unsafe), now=NOW, filename=unsafe)
