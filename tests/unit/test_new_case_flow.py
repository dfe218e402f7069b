"""A companion logs a new case ("Kasus baru") through the pure engine.

The menu does not reach the flow yet, so each chat starts it with ``new_case.start`` and then
feeds every message through ``conversations.engine.step`` (the flow is registered in ``FLOWS``
for the test), exactly as the shell will.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

import pytest

from conversations import (
    Context,
    Inbound,
    InboundKind,
    MediaRef,
    PersonView,
    Reply,
    RoleView,
    Session,
    apply_to_person,
    step,
)  # fmt: skip
from conversations.areas import Gazetteer
from conversations.flows import FLOWS, new_case
from conversations.flows.new_case import OpenCompanionCase, read_rt_rw
from conversations.matching import is_addressed
from conversations.ppks import BY_CODE, PPKS_TYPES, find_types, named_type, narrow
from conversations.types import Translate

AREA = "32.73.07.1001"
WIB = timezone(timedelta(hours=7))
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@dataclass
class Chat:
    """One companion talking to the engine; ``say`` returns the bot's replies as a transcript would show them."""

    translators: Mapping[str, Translate]
    locale: str = "id"
    now: datetime = MONDAY_9AM
    session: Session = field(default_factory=Session)
    effects: list[object] = field(default_factory=list)
    turns: int = 0

    def __post_init__(self) -> None:
        role = RoleView("psm", AREA)
        self.person = PersonView(locale=self.locale, consented=True, area_code=AREA, roles=(role,), display_name="Rina")

    def context(self) -> Context:
        return Context(
            now=self.now, person=self.person, gazetteer=Gazetteer(()), translators=self.translators,
            new_reference=lambda: "KB-7Q4K2",
        )  # fmt: skip

    def start(self) -> str:
        """What the menu entry "Kasus baru" will do."""
        result = new_case.start(Session(), self.context())
        self.session = replace(result.session, updated_at=self.now)
        return render(result.replies)

    def send(self, inbound: Inbound) -> str:
        result = step(self.session, inbound, self.context())
        self.session, self.person = result.session, apply_to_person(self.person, result.effects)
        self.effects += result.effects
        self.turns += 1
        return render(result.replies)

    def say(self, text: str) -> str:
        return self.send(Inbound.text_(text))

    def tap(self, key: str) -> str:
        return self.send(Inbound.option_(key))

    def photo(self, caption: str = "", ref: str = "sha256:photo") -> str:
        return self.send(Inbound(kind=InboundKind.PHOTO, media=MediaRef(ref, "image/jpeg"), text=caption))

    def voice(self, ref: str = "sha256:voice") -> str:
        return self.send(Inbound(kind=InboundKind.VOICE, media=MediaRef(ref, "audio/ogg")))

    def run(self, *answers: str) -> str:
        shown = ""
        for answer in answers:
            shown = self.say(answer)
        return shown

    @property
    def case(self) -> OpenCompanionCase:
        [effect] = self.effects
        assert isinstance(effect, OpenCompanionCase)
        return effect


def render(replies: tuple[Reply, ...]) -> str:
    lines: list[str] = []
    for index, reply in enumerate(replies):
        if index:
            lines.append("--")
        lines += reply.text.splitlines()
        lines += [f"  {number}. {option.label}" for number, option in enumerate(reply.options, start=1)]
    return "\n".join(lines)


@pytest.fixture
def chat(monkeypatch: pytest.MonkeyPatch, catalog_translators: Mapping[str, Translate]) -> Chat:
    monkeypatch.setitem(FLOWS, new_case.FLOW_NAME, new_case.FLOW)
    return Chat(catalog_translators)


@pytest.fixture
def english_chat(monkeypatch: pytest.MonkeyPatch, catalog_translators: Mapping[str, Translate]) -> Chat:
    monkeypatch.setitem(FLOWS, new_case.FLOW_NAME, new_case.FLOW)
    return Chat(catalog_translators, locale="en")


def to_the_type(chat: Chat, name: str = "Mbah Sarinah") -> None:
    chat.start()
    chat.run("4", name, "3/5")


def to_the_partners(chat: Chat, kind: str = "lansia") -> None:
    to_the_type(chat)
    chat.run(kind, "Tinggal sendiri, sakit kaki.", "1", "1")


# --- the whole flow ---------------------------------------------------------------------------


def test_happy_path_in_under_twelve_turns(chat: Chat) -> None:
    assert chat.start().splitlines() == [
        "Kasus baru. Dari mana Anda tahu kasus ini?",
        "  1. Keluarga",
        "  2. RT/RW",
        "  3. Kelurahan",
        "  4. Temuan sendiri",
    ]
    assert chat.say("4").startswith("Siapa nama orang yang perlu dibantu?")
    assert chat.say("Mbah Sarinah").startswith("Di RT/RW berapa? Contoh: 3/5")
    assert chat.say("3/5").startswith("Jenis PPKS apa?")
    assert chat.say("lansia").startswith("Jenis PPKS: Lanjut usia terlantar")
    story = "Tinggal sendiri, sakit kaki, tidak ada yang merawat."
    assert chat.say(story).startswith("Kirim foto sekarang, atau balas 1 untuk lewati.")
    assert chat.photo().startswith("Sudah 1 foto. Kirim lagi, atau balas 1 untuk lanjut.")
    assert chat.photo(ref="sha256:photo2").startswith("Sudah 2 foto.")
    assert chat.say("1").startswith("Apa rencana langkahnya?")
    assert chat.say("Antar ke Puskesmas").startswith("Siapa saja yang dilibatkan?")
    assert chat.say("1 3 5").startswith("Kapan tindak lanjut berikutnya?")
    summary = chat.say("1")
    assert summary.splitlines() == [
        "Periksa kasus baru:",
        "Sumber: Temuan sendiri",
        "Nama: Mbah Sarinah",
        "RT/RW: 003/005",
        "Jenis PPKS: Lanjut usia terlantar",
        "Cerita: Tinggal sendiri, sakit kaki, tidak ada yang merawat.",
        "Foto: 2",
        "Rencana: Antar ke Puskesmas",
        "Dilibatkan: RT/RW, TKSK, Dinas Sosial",
        "Tindak lanjut: Selasa, 24 November 2026",
        "Simpan kasus ini?",
        "  1. Simpan kasus",
        "  2. Batalkan",
    ]
    receipt = chat.say("1")
    assert receipt.splitlines()[:3] == [
        "Kasus tersimpan. Nomor kasus: KB-7Q4K2",
        "Tindak lanjut: Selasa, 24 November 2026",
        "Ketik KB-7Q4K2 kapan saja untuk membukanya.",
    ]
    assert "Menu utama" in receipt
    assert chat.case == OpenCompanionCase(
        reference="KB-7Q4K2", area_code=AREA, source="own", person_name="Mbah Sarinah", rt_rw="003/005",
        ppks_type="08", story="Tinggal sendiri, sakit kaki, tidak ada yang merawat.",
        media=("sha256:photo", "sha256:photo2"), planned_steps="Antar ke Puskesmas",
        partners=("rt_rw", "tksk", "dinsos"), follow_up="2026-11-24",
    )  # fmt: skip
    assert chat.turns <= 12
    assert chat.session.flow == "menu"


def test_the_shortest_case_is_ten_answers(chat: Chat) -> None:
    chat.start()
    chat.run("1", "Pak Darto", "1", "gelandangan", "tidur di emper toko", "1", "1", "8", "3", "1")
    assert chat.turns == 10
    assert chat.case.ppks_type == "11"
    assert chat.case.follow_up == "2026-11-30"


def test_words_instead_of_numbers(chat: Chat) -> None:
    chat.start()
    chat.run("pak rt", "Budi", "RT 03 RW 05", "pemulung", "Anak 3, tidak sekolah", "lewati", "tidak ada")
    chat.run("rt, tksk, dinsos", "besok")
    assert chat.say("simpan").startswith("Kasus tersimpan.")
    case = chat.case
    assert (case.source, case.rt_rw, case.ppks_type, case.planned_steps) == ("rt_rw", "003/005", "13", "")
    assert case.partners == ("rt_rw", "tksk", "dinsos")
    assert case.follow_up == "2026-11-24"


def test_everyday_words_all_the_way(chat: Chat) -> None:
    """What companions type: a source in their words, "gak tau", a type by its description, "ndak ada fotonya",
    "belum ada", partners joined by "sama", "udah itu aja" to save."""
    chat.start()
    chat.run("laporan pak RT", "gak tau pak", "teu acan", "gak punya rumah", "Tidur di emper pasar")
    chat.run("ndak ada fotonya", "belum ada bu", "pak rt sama puskesmas", "seminggu")
    assert chat.say("udah itu aja").startswith("Kasus tersimpan.")
    case = chat.case
    assert (case.source, case.person_name, case.rt_rw, case.ppks_type) == ("rt_rw", "", "", "11")
    assert (case.planned_steps, case.partners, case.follow_up) == ("", ("rt_rw", "dinkes"), "2026-11-30")
    assert chat.turns == 10


@pytest.mark.parametrize("answer", ["mboten", "gak", "jangan", "belum", "tidak jadi"])
def test_a_plain_no_at_the_summary_saves_nothing(chat: Chat, answer: str) -> None:
    to_the_partners(chat)
    chat.run("8", "1")
    assert chat.say(answer).startswith("Kasus tidak disimpan.")
    assert chat.effects == []


@pytest.mark.parametrize("answer", ["nggih", "iya pak", "sampun", "oke simpan", "muhun"])
def test_a_plain_yes_at_the_summary_saves(chat: Chat, answer: str) -> None:
    to_the_partners(chat)
    chat.run("8", "1")
    assert chat.say(answer).startswith("Kasus tersimpan.")


def test_a_name_spelled_like_skip_is_still_a_name(chat: Chat) -> None:
    chat.start()
    chat.run("4", "Lewi")
    assert chat.session.data["name"] == "Lewi"


def test_a_story_starting_with_no_is_a_story(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("lansia")
    assert chat.say("tidak bisa jalan").startswith("Kirim foto sekarang")
    assert chat.session.data["story"] == "tidak bisa jalan"


def test_tapped_buttons(chat: Chat) -> None:
    chat.start()
    chat.tap("source:kelurahan")
    chat.tap("skip")
    chat.tap("skip")
    chat.say("odgj")
    chat.say("Dipasung keluarga di belakang rumah")
    chat.tap("photos:done")
    chat.tap("skip")
    chat.tap("partner:dinkes")
    chat.tap("due:7")
    chat.tap("confirm:save")
    case = chat.case
    assert (case.source, case.person_name, case.rt_rw, case.ppks_type) == ("kelurahan", "", "", "09")
    assert case.partners == ("dinkes",)
    assert case.follow_up == "2026-11-30"


# --- media ------------------------------------------------------------------------------------


def test_a_voice_note_tells_the_story(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("disabilitas")
    assert chat.voice().startswith("Kirim foto sekarang")
    chat.run("1", "1", "8")
    summary = chat.say("lusa")
    assert "Cerita: (pesan suara)" in summary
    assert "Tindak lanjut: Rabu, 25 November 2026" in summary
    chat.say("1")
    assert chat.case.story == "[pesan suara]"
    assert chat.case.media == ("sha256:voice",)


def test_a_voice_note_for_the_planned_steps(chat: Chat) -> None:
    to_the_type(chat)
    chat.run("lansia", "sakit", "1")
    assert chat.voice(ref="sha256:plan").startswith("Siapa saja yang dilibatkan?")
    chat.run("8", "1", "1")
    assert chat.case.planned_steps == "[pesan suara]"
    assert chat.case.media == ("sha256:plan",)


def test_photos_are_kept_at_any_question(chat: Chat) -> None:
    chat.start()
    assert chat.photo(ref="sha256:a").splitlines()[:3] == [
        "Foto kami simpan untuk kasus ini.", "--", "Kasus baru. Dari mana Anda tahu kasus ini?",
    ]  # fmt: skip
    chat.say("2")
    assert "Siapa nama orang yang perlu dibantu?" in chat.photo(ref="sha256:b")
    chat.run("Sari", "1")
    assert "Jenis PPKS apa?" in chat.photo(ref="sha256:c")
    chat.say("miskin")
    assert chat.say("Rumah bocor").startswith("Sudah 3 foto. Kirim lagi, atau balas 1 untuk lanjut.")
    chat.run("1", "1", "8")
    assert "Kapan tindak lanjut berikutnya?" in chat.photo(ref="sha256:d")
    chat.say("1")
    summary = chat.photo(ref="sha256:e")
    assert "Foto: 5" in summary and summary.startswith("Foto kami simpan untuk kasus ini.")
    chat.say("1")
    assert chat.case.media == ("sha256:a", "sha256:b", "sha256:c", "sha256:d", "sha256:e")


def test_photos_sent_before_the_photo_question_are_counted(chat: Chat) -> None:
    chat.start()
    chat.photo()
    chat.run("1", "Sari", "1", "miskin")
    assert chat.say("Rumah bocor").startswith("Sudah 1 foto. Kirim lagi, atau balas 1 untuk lanjut.")


def test_a_photo_with_a_caption_tells_the_story(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("gelandangan")
    assert chat.photo("tidur di emper toko, kaki luka").startswith("Sudah 1 foto.")
    chat.run("1", "1", "8", "1", "1")
    assert chat.case.story == "tidur di emper toko, kaki luka"
    assert chat.case.media == ("sha256:photo",)


def test_a_voice_note_where_words_are_needed_is_kept_and_the_question_asked_again(chat: Chat) -> None:
    to_the_type(chat)
    shown = chat.voice()
    assert shown.startswith(
        "Pesan suara kami simpan untuk kasus ini. Untuk pertanyaan ini, balas dengan tulisan atau nomor."
    )
    assert "Jenis PPKS apa?" in shown
    assert chat.session.state == "ppks"


def test_a_location_is_not_claimed_as_saved(chat: Chat) -> None:
    chat.start()
    shown = chat.send(Inbound(kind=InboundKind.LOCATION, latitude=-6.9, longitude=107.6))
    assert shown.startswith("Lokasi dan kontak belum bisa disimpan di kasus.")
    assert chat.session.state == "source"


# --- the PPKS type ----------------------------------------------------------------------------


def test_lansia_is_the_neglected_elderly(chat: Chat) -> None:
    to_the_type(chat)
    assert chat.say("lansia").splitlines()[0] == "Jenis PPKS: Lanjut usia terlantar (balas BUKAN jika salah)"
    assert chat.session.data["ppks"] == "08"


def test_an_ambiguous_word_offers_the_types_it_may_mean(chat: Chat) -> None:
    to_the_type(chat)
    shown = chat.say("anak")
    assert shown.splitlines() == [
        "Yang mana? Pilih nomor, atau tulis kata lain:",
        "  1. Anak terlantar",
        "  2. Anak berhadapan dengan hukum",
        "  3. Anak jalanan",
        "  4. Anak dengan disabilitas",
        "  5. Anak korban kekerasan atau diperlakukan salah",
        "  6. Anak yang memerlukan perlindungan khusus",
    ]
    assert chat.say("3").startswith("Jenis PPKS: Anak jalanan")


def test_a_word_only_one_offered_type_has_picks_it(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("anak")
    assert chat.say("disabilitas").startswith("Jenis PPKS: Anak dengan disabilitas")


def test_another_word_at_the_options_searches_again(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("pengungsi")
    assert chat.say("gelandangan").startswith("Jenis PPKS: Gelandangan")
    to_the_type(chat)
    chat.say("pengungsi")
    assert chat.say("13").startswith("Jenis PPKS: Pemulung")  # not an offered number: a PPKS number


def test_an_unknown_word_asks_again_with_examples(chat: Chat) -> None:
    to_the_type(chat)
    shown = chat.say("xyz")
    assert shown == (
        'Jenis "xyz" belum kami kenal. Tulis kata lain, contoh: lansia, disabilitas, gelandangan, miskin. '
        "Atau ketik DAFTAR untuk melihat semua."
    )
    assert chat.session.state == "ppks"
    assert chat.say("lansai").startswith("Jenis PPKS: Lanjut usia terlantar")


def test_the_list_of_all_26_types(chat: Chat) -> None:
    to_the_type(chat)
    listing = chat.say("daftar").splitlines()
    assert listing[0] == "Jenis PPKS. Balas dengan nomornya:"
    assert listing[1] == "1. Anak balita terlantar" and listing[26] == "26. Komunitas adat terpencil"
    assert chat.say("24").startswith("Jenis PPKS: Fakir miskin")


def test_bukan_goes_back_to_the_type(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("tua")
    assert chat.say("bukan").startswith("Jenis PPKS apa?")
    assert chat.say("kdrt").startswith("Jenis PPKS: Korban tindak kekerasan")


def test_a_number_alone_is_not_a_story(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("lansia")
    assert "Ceritakan singkat keadaannya" in chat.say("2")
    assert chat.session.state == "story"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("lansia", ("08",)),
        ("jompo", ("08",)),
        ("nenek tua", ("08",)),
        ("8", ("08",)),
        ("08", ("08",)),
        ("PPKS 8", ("08",)),
        ("disabilitas", ("09",)),
        ("cacat", ("09",)),
        ("ODGJ", ("09",)),
        ("anak cacat", ("05",)),
        ("gelandangan", ("11",)),
        ("pengemis", ("12",)),
        ("pemulung", ("13",)),
        ("miskin", ("24",)),
        ("fakir", ("24",)),
        ("anak jalanan", ("04",)),
        ("kdrt", ("19",)),
        ("kekerasan", ("19",)),
        ("anak korban kekerasan", ("06",)),
        ("bencana", ("21",)),
        ("banjir", ("21",)),
        ("kebakaran", ("21",)),
        ("korban banjir", ("21",)),
        ("hiv", ("16",)),
        ("narkoba", ("17",)),
        ("lansai", ("08",)),
        ("gelandangn", ("11",)),
        ("anak jalana", ("04",)),
        ("pengungsi", ("21", "22")),
        ("gepeng", ("11", "12")),
        ("lansia miskin", ("08", "24")),
        ("elderly", ("08",)),  # English words too
        ("poor", ("24",)),
        ("xyz", ()),
        ("27", ()),
        ("suami", ()),
    ],
)
def test_find_types(text: str, codes: tuple[str, ...]) -> None:
    assert tuple(kind.code for kind in find_types(text)) == codes


def test_find_types_offers_at_most_six() -> None:
    assert len(find_types("anak")) == 6
    assert len(find_types("korban")) == 6


def test_the_26_types() -> None:
    assert [kind.code for kind in PPKS_TYPES] == [f"{n:02d}" for n in range(1, 27)]
    assert BY_CODE["08"].label == "Lanjut usia terlantar"
    for kind in PPKS_TYPES:  # every type can be found by its own label
        assert find_types(kind.label)[0] == kind


def test_narrow_among_offered_types() -> None:
    children = find_types("anak")
    assert [kind.code for kind in narrow("jalanan", children)] == ["04"]
    assert narrow("xyz", children) == ()


# --- RT/RW, partners, dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/5", "003/005"),
        ("003/005", "003/005"),
        ("RT 3 RW 5", "003/005"),
        ("rt.03 rw.05", "003/005"),
        ("RT 03/RW 05", "003/005"),
        ("rw 5 rt 12", "012/005"),
        ("RT 3 RW 5 dekat masjid", "003/005"),
        ("3 5", "003/005"),
        ("3-5", "003/005"),
        ("3", None),
        ("RT 3", None),
        ("0/5", None),
        ("1000/5", None),
        ("dekat masjid", None),
        ("3/5/7", None),
    ],
)
def test_read_rt_rw(text: str, expected: str | None) -> None:
    assert read_rt_rw(text) == expected


def test_an_unreadable_rt_rw_asks_again(chat: Chat) -> None:
    chat.start()
    chat.run("1", "Sari")
    assert chat.say("RT 3").startswith("RT/RW belum terbaca. Tulis seperti ini: 3/5 atau RT 3 RW 5.")
    assert chat.session.state == "rt_rw"


@pytest.mark.parametrize(
    ("answer", "partners"),
    [
        ("1 3", ("rt_rw", "tksk")),
        ("1,3", ("rt_rw", "tksk")),
        ("3, 1", ("rt_rw", "tksk")),
        ("1, 3 dan 5", ("rt_rw", "tksk", "dinsos")),
        ("1 1 3", ("rt_rw", "tksk")),
        ("satpol pp, dinkes", ("satpol_pp", "dinkes")),
        ("rt tksk", ("rt_rw", "tksk")),
        ("Kasie Kesos", ("kasie_kesos",)),
        ("7", ("other",)),
        ("8", ()),
        ("lewati", ()),
    ],
)
def test_partners(chat: Chat, answer: str, partners: tuple[str, ...]) -> None:
    to_the_partners(chat)
    assert chat.say(answer).startswith("Kapan tindak lanjut berikutnya?")
    chat.run("1", "1")
    assert chat.case.partners == partners


@pytest.mark.parametrize("answer", ["1 9", "1 8", "rt dan pak camat", "0"])
def test_partners_that_do_not_fit_are_asked_again(chat: Chat, answer: str) -> None:
    to_the_partners(chat)
    assert "Siapa saja yang dilibatkan?" in chat.say(answer)
    assert chat.session.state == "partners"


@pytest.mark.parametrize(
    ("answer", "follow_up"),
    [
        ("besok", "2026-11-24"),
        ("1", "2026-11-24"),
        ("2", "2026-11-26"),
        ("3 hari lagi", "2026-11-26"),
        ("seminggu lagi", "2026-11-30"),
        ("senin", "2026-11-30"),
        ("jumat", "2026-11-27"),
        ("5/12", "2026-12-05"),
        ("5 des", "2026-12-05"),
    ],
)
def test_follow_up_dates(chat: Chat, answer: str, follow_up: str) -> None:
    to_the_partners(chat)
    chat.say("8")
    assert chat.say(answer).startswith("Periksa kasus baru:")
    chat.say("1")
    assert chat.case.follow_up == follow_up


def test_a_past_date_is_asked_again(chat: Chat) -> None:
    to_the_partners(chat)
    chat.say("8")
    shown = chat.say("20/11")
    assert shown.startswith("Jumat, 20 November 2026 sudah lewat. Pilih hari yang akan datang.")
    assert "Kapan tindak lanjut berikutnya?" in shown
    assert chat.say("nanti saja").startswith("Tanggal itu belum terbaca. Contoh: besok, senin, 5/12.")
    assert chat.say("lusa").startswith("Periksa kasus baru:")


# --- leaving ------------------------------------------------------------------------------------


def test_batal_midway_saves_nothing(chat: Chat) -> None:
    to_the_type(chat)
    chat.say("lansia")
    shown = chat.say("batal")
    assert shown.startswith("Dibatalkan. Tidak ada yang disimpan.")
    assert "Menu utama" in shown
    assert chat.effects == []
    assert chat.session.flow == "menu" and "ppks" not in chat.session.data


def test_cancel_at_the_summary_saves_nothing(chat: Chat) -> None:
    to_the_partners(chat)
    chat.run("8", "1")
    assert chat.say("2").startswith("Kasus tidak disimpan.")
    assert chat.effects == []


def test_skipping_every_optional_question(chat: Chat) -> None:
    chat.start()
    chat.run("4", "1", "1", "pengemis", "Mengemis di perempatan", "1", "1", "8", "1", "1")
    summary_fields = chat.case
    assert summary_fields.person_name == "" and summary_fields.rt_rw == "" and summary_fields.planned_steps == ""
    assert summary_fields.partners == () and summary_fields.media == ()


def test_the_summary_shows_a_dash_for_skipped_answers(chat: Chat) -> None:
    chat.start()
    summary = chat.run("4", "1", "1", "pengemis", "Mengemis di perempatan", "1", "1", "8", "1")
    for line in ("Nama: -", "RT/RW: -", "Foto: 0", "Rencana: -", "Dilibatkan: -"):
        assert line in summary.splitlines()


# --- English ------------------------------------------------------------------------------------


def test_in_english_the_flow_and_the_effect_are_the_same(english_chat: Chat) -> None:
    chat = english_chat
    first = chat.start()
    assert len(first.splitlines()) == 5  # the question and four sources
    chat.run("family", "Ibu Ani", "rw 5 rt 12", "elderly")
    chat.say("Lives alone")
    chat.photo()
    chat.run("done", "skip", "satpol pp, 6")
    summary = chat.say("dec 5")
    assert "Follow-up: Saturday, 5 December 2026" in summary
    assert summary.splitlines()[-2:] == ["  1. " + chat.context().t("Simpan kasus"), "  2. Cancel"]
    chat.say("yes")
    case = chat.case
    assert (case.source, case.person_name, case.rt_rw, case.ppks_type) == ("family", "Ibu Ani", "012/005", "08")
    assert case.partners == ("satpol_pp", "dinkes") and case.follow_up == "2026-12-05"
    assert case.media == ("sha256:photo",)


@pytest.mark.parametrize(
    ("text", "code"),
    [("lansia terlantar", "08"), ("gelandangan", "11"), ("mbah karto", None), ("anak", None), ("Siti Aminah", None)],
)
def test_a_type_named_whole_is_told_from_a_name(text: str, code: str | None) -> None:
    kind = named_type(text)
    assert (kind.code if kind else None) == code


def test_a_name_with_a_term_of_address_is_a_name_whatever_its_words() -> None:
    assert is_addressed("Pak Yatim") and is_addressed("mbah Miskin")
    assert not is_addressed("lansia terlantar")
