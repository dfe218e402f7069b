"""Companions answer in their own words, and every question they are asked understands them.

Two parts. First, free text for the option lists companions see (the KKS steps, where a case came
from, statuses, partners, P2K2 modules, the 6 T, agents, members at a meeting): what people write is
picked as the option it names. Second, "zero not understood": each word of the yes / no / skip /
done / not-yet table in the field notes (``LANGUAGE.md``), alone and with a term of address, is
accepted by every confirmation and every skippable question of the companion flows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import pytest

from conversations import Context, Inbound, PersonView, Reply, RoleView, Session, Step
from conversations.areas import Gazetteer
from conversations.flow import save_options
from conversations.flows import attendance, cases, ewarong_visit, group_members, my_meetings, new_case, plan_meeting
from conversations.flows.attendance import read_members
from conversations.flows.meeting_answers import answer_options
from conversations.flows.village_agent import agent_options
from conversations.matching import choose, choose_several
from conversations.ppks import find_types
from conversations.types import (
    AgentView,
    GroupView,
    MeetingView,
    MemberView,
    Option,
    PendingAnswer,
    ScheduleView,
    Translate,
    WorkCaseView,
)  # fmt: skip

# The table of docs/LANGUAGE.md ("Yes, no, skip, done, not yet"), row by row.
YES = "ya iya iye y yoi ok oke okey betul benar bener setuju boleh siap baik mau tentu nggih inggih iyo yo enggeh muhun sumuhun enya mangga".split()
NO = "tidak tdk gak ga gk nggak ngga enggak engga kagak ndak tak bukan jangan no mboten ora orak dudu henteu teu sanes ulah indak".split()
SKIP = [
    "tidak ada", "gak ada", "ga ada", "nggak usah", "udah itu aja", "cukup", "lewat", "lewati", "skip", "sudah",
    "gak punya", "mboten wonten", "ora ono", "wis", "teu aya", "tos", "lewat aja bu", "gak usah foto",
    "ndak ada fotonya",
]  # fmt: skip
DONE = "sudah sdh udah udh dah wis sampun parantos tos".split()
NOT_YET = ["belum", "blm", "blom", "belom", "dereng", "durung", "teu acan", "acan"]
SAID_AS = ["{}", "{} pak", "{} bu", "iya {}" , "{}!!"]
"""How a word arrives: alone, with a term of address, shouted. ("iya {}" only where a yes is fine.)"""

TODAY = datetime(2026, 11, 23, 2, tzinfo=UTC)  # Monday 09:00 WIB
MEMBERS = (
    MemberView(11, "Bu Ani"), MemberView(12, "Pak Dedi"), MemberView(13, "Bu Rina"), MemberView(14, "Bu Yati"),
    MemberView(15, "Bu Siti Aminah"), MemberView(16, "Bu Siti Rahma"),
)  # fmt: skip
MEETING = MeetingView(
    6, "p2k2", "32.73.16.1002", "Kebon Jayanti", "2026-11-21", "09:00", place="Rumah Bu Ani",
    group_name="Mawar 1", module="economy", session="finances", members=MEMBERS, organized_by_me=True,
)  # fmt: skip
COMING = MeetingView(
    7, "p2k2", "32.73.16.1002", "Kebon Jayanti", "2026-11-28", "09:00", place="Rumah Bu Ani",
    group_name="Mawar 1", module="economy", session="finances", members=MEMBERS, organized_by_me=True,
)  # fmt: skip
AGENTS = (
    AgentView(1, "e-Warong Makmur Jaya", "35.17.18.2001"), AgentView(2, "e-Warong Sumber Rejeki", "35.17.18.2001"),
)  # fmt: skip
WORK = (WorkCaseView("KB-AB2CD", "card_lost", "in_progress", "Mbah Sarinah", "Kayen", tracks_steps=True),)


@pytest.fixture
def ctx(catalog_translators: Mapping[str, Translate]) -> Context:
    schedule = ScheduleView(
        meetings=(MEETING, COMING), groups=(GroupView(3, "Mawar 1", "32.73.16.1002", MEMBERS),), agents=AGENTS,
        villages=(("35.17.18.2001", "Bandarkedungmulyo"),),
    )  # fmt: skip
    person = PersonView(
        consented=True, area_code="32.73.16.1002", roles=(RoleView("pkh", "32.73.16.1002"),), schedule=schedule,
        work=WORK,
    )  # fmt: skip
    return Context(now=TODAY, person=person, gazetteer=Gazetteer(()), translators=catalog_translators)


def picked(text: str, options: tuple[Option, ...]) -> str:
    option = choose(Inbound.text_(text), options)
    return option.key if option else ""


# --- free text for the companions' option lists -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("surat keterangan desa", "letter"),
        ("surat dari desa", "letter"),
        ("sdh ada surat pengantar", "letter"),
        ("udah ke polsek", "police"),
        ("lapor ke kantor polisi", "police"),
        ("polisi", "police"),
        ("sdh ke dinsos", "dinsos"),
        ("dinas sosial", "dinsos"),
        ("ke bank", "bank"),
        ("ke bri", "bank"),
        ("bni", "bank"),
        ("kartu sdh jadi", "card_received"),
        ("kartu sdh diterima", "card_received"),
        ("sudah diterima", "card_received"),
        ("kartu baru", "card_received"),
        ("5", "card_received"),
    ],
)
def test_kks_steps_in_words(text: str, step: str, ctx: Context) -> None:
    assert picked(text, cases.step_options(ctx)) == f"step:{step}"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("dari keluarganya", "family"),
        ("keluarga", "family"),
        ("laporan pak RT", "rt_rw"),
        ("dari pak rw", "rt_rw"),
        ("kata pak lurah", "kelurahan"),
        ("dari kantor desa", "kelurahan"),
        ("nemu sendiri", "own"),
        ("saya sendiri yang lihat", "own"),
        ("temuan sendiri", "own"),
    ],
)
def test_where_a_case_came_from_in_words(text: str, source: str, ctx: Context) -> None:
    assert picked(text, new_case.source_options(ctx)) == f"source:{source}"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("sdh selesai", "resolved"),
        ("sudah beres", "resolved"),
        ("dirujuk ke puskesmas", "referred"),
        ("lagi ditangani", "in_progress"),
        ("masih diproses", "in_progress"),
        ("tutup aja", "closed_unresolved"),
        ("ditutup", "closed_unresolved"),
        ("tambah catatan", "note"),
        ("langkah kks", "step"),
        ("ganti tanggal tindak lanjut", "follow_up"),
        ("serahkan ke pendamping lain", "handover"),
    ],
)
def test_case_statuses_in_words(text: str, action: str, ctx: Context) -> None:
    session = Session().at("cases", "case", reference="KB-AB2CD")
    assert picked(text, cases.action_options(session, ctx)) == f"act:{action}"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("gak punya rumah", ("11",)),
        ("org miskin", ("24",)),
        ("lansia pak", ("08",)),
        ("ibu tunggal", ("23",)),
        ("anak jalanan", ("04",)),
    ],
)
def test_ppks_types_through_the_shared_cleaner(text: str, codes: tuple[str, ...]) -> None:
    assert tuple(kind.code for kind in find_types(text)) == codes


@pytest.mark.parametrize(
    ("text", "partners"),
    [
        ("pak rt sama puskesmas", ("rt_rw", "dinkes")),
        ("rt & dinsos", ("rt_rw", "dinsos")),
        ("kasi kesos dan tksk", ("kasie_kesos", "tksk")),
        ("gak ada", ("none",)),
        ("tidak ada pak", ("none",)),
        ("belum ada", ("none",)),
        ("lewat aja bu", ("none",)),
    ],
)
def test_partners_in_words(text: str, partners: tuple[str, ...], ctx: Context) -> None:
    assert new_case.read_partners(Inbound.text_(text), ctx) == partners


@pytest.mark.parametrize(
    ("text", "key"),
    [("seminggu", "due:7"), ("3 hari", "due:3"), ("tiga hari lagi", "due:3"), ("besok aja", "due:1")],
)
def test_follow_up_choices_in_words(text: str, key: str, ctx: Context) -> None:
    assert picked(text, new_case.follow_up_options(ctx)) == key


@pytest.mark.parametrize(
    ("text", "module"),
    [
        ("modul kesehatan", "health"),
        ("gizi", "health"),
        ("kekerasan anak", "protection"),
        ("ekonomi", "economy"),
        ("keuangan keluarga", "economy"),
        ("lansia", "welfare"),
        ("pengasuhan anak", "parenting"),
    ],
)
def test_p2k2_modules_in_words(text: str, module: str, ctx: Context) -> None:
    assert picked(text, plan_meeting.module_options(ctx)) == f"module:{module}"


@pytest.mark.parametrize(
    ("text", "session_code"),
    [("menabung", "borrow_save"), ("sesi 3", "business"), ("mengelola keuangan", "finances"), ("usaha", "business")],
)
def test_p2k2_sessions_in_words(text: str, session_code: str, ctx: Context) -> None:
    session = Session().at("plan_meeting", "session", module="economy")
    assert picked(text, plan_meeting.session_options(session, ctx)) == f"session:{session_code}"


@pytest.mark.parametrize(
    ("text", "key"),
    [("makmur", "agent:1"), ("agen makmur", "agent:1"), ("warung sumber rejeki", "agent:2"), ("rejeki", "agent:2"),
     ("agen baru", "agent:new"), ("warong", "")],
)  # fmt: skip
def test_agents_by_a_word_of_their_name(text: str, key: str, ctx: Context) -> None:
    session = Session().at("ewarong_visit", "agent", area_code="35.17.18.2001")
    assert picked(text, agent_options(session, ctx)) == key


@pytest.mark.parametrize(
    ("choices", "text", "key"),
    [
        (ewarong_visit.PRICES, "iya pak sesuai", "ok"),
        (ewarong_visit.PRICES, "ada yg mahal", "high"),
        (ewarong_visit.PRICES, "mboten", "high"),
        (ewarong_visit.QUALITY, "bagus semua", "ok"),
        (ewarong_visit.QUALITY, "telurnya ada yang pecah", "bad"),
        (ewarong_visit.TIMELINESS, "telat 2 hari", "late"),
        (ewarong_visit.TIMELINESS, "tidak tepat waktu", "late"),
        (ewarong_visit.TIMELINESS, "nggih", "ok"),
        (ewarong_visit.TARGET, "muhun", "ok"),
        (ewarong_visit.TARGET, "kartunya dikumpulkan", "no"),
    ],
)
def test_the_six_t_in_words(choices, text: str, key: str, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    assert picked(text, ewarong_visit._options(choices, ctx)) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("nol", 0), ("gak ada yang gagal", 0), ("mboten wonten", 0), ("lima", 5), ("45", 45), ("1.200", 1200)],
)
def test_counts(text: str, expected: int, ctx: Context) -> None:
    assert ewarong_visit.read_count(Inbound.text_(text), ctx) == expected


# --- members by name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("bu ani sama bu yati", [11, 14]),
        ("ani, yati", [11, 14]),
        ("Bu Ani dan Pak Dedi", [11, 12]),
        ("ani yati", [11, 14]),
        ("bu yatii", [14]),
        ("ani sma yati", [11, 14]),
        ("yati & rina", [13, 14]),
        ("dedi/rina", [12, 13]),
        ("pak dedi sm bu rina", [12, 13]),
        ("siti aminah", [15]),
        ("siti amnh", [15]),
        ("2 bu yati", [12, 14]),
        ("gak ada", []),
        ("semua hadir", []),
        ("tidak ada yang izin", []),
    ],
)
def test_members_by_name(text: str, ids: list[int], ctx: Context) -> None:
    assert read_members(Inbound.text_(text), MEETING, ctx) == ids


def test_a_name_two_members_share_is_asked_by_number(ctx: Context) -> None:
    said = read_members(Inbound.text_("siti"), MEETING, ctx)
    assert isinstance(said, Reply)
    assert said.text == '"siti" cocok dengan lebih dari satu anggota: Bu Siti Aminah, Bu Siti Rahma. Balas dengan nomornya.'
    twins = MeetingView(**{**MEETING.__dict__, "members": (*MEMBERS, MemberView(17, "Pak Ani"))})
    assert read_members(Inbound.text_("bu ani"), twins, ctx) == [11]  # said with "bu", it is her
    said = read_members(Inbound.text_("ani sama yati"), twins, ctx)
    assert isinstance(said, Reply) and said.text.startswith('"ani" cocok dengan lebih dari satu anggota: Bu Ani, Pak Ani.')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bu tini", '"bu tini" tidak ada di daftar anggota. Balas dengan nomornya, contoh: 2 5.'),
        ("bu ani sama bu tini", '"bu tini" tidak ada di daftar anggota. Balas dengan nomornya, contoh: 2 5.'),
        ("ani tini", '"tini" tidak ada di daftar anggota. Balas dengan nomornya, contoh: 2 5.'),
        ("2 9", "Nomor 9 tidak ada di daftar. Nomor anggota 1 sampai 6."),
    ],
)
def test_a_name_nobody_has_is_said(text: str, message: str, ctx: Context) -> None:
    said = read_members(Inbound.text_(text), MEETING, ctx)
    assert isinstance(said, Reply) and said.text == message


# --- zero "not understood" at confirmations ----------------------------------------------------

CONFIRMATIONS: dict[str, Callable[[Context], tuple[Option, ...]]] = {
    "new case": new_case.confirm_options,
    "attendance, plan, e-Warong visit": save_options,
    "moving a meeting": my_meetings.confirm_options,
    "cancelling a meeting": my_meetings.cancel_options,
    "tepat harga": lambda ctx: ewarong_visit._options(ewarong_visit.PRICES, ctx),
    "tepat mutu": lambda ctx: ewarong_visit._options(ewarong_visit.QUALITY, ctx),
    "tepat waktu": lambda ctx: ewarong_visit._options(ewarong_visit.TIMELINESS, ctx),
    "tepat sasaran": lambda ctx: ewarong_visit._options(ewarong_visit.TARGET, ctx),
    "a reminder asked in Jadwal": lambda ctx: answer_options(PendingAnswer(7, "P2K2"), ctx),
}


@pytest.mark.parametrize("word", YES + DONE)
@pytest.mark.parametrize("said", SAID_AS)
@pytest.mark.parametrize("question", CONFIRMATIONS)
def test_a_yes_confirms(question: str, said: str, word: str, ctx: Context) -> None:
    options = CONFIRMATIONS[question](ctx)
    assert picked(said.format(word), options) == options[0].key


@pytest.mark.parametrize("word", NO + NOT_YET)
@pytest.mark.parametrize("said", [s for s in SAID_AS if not s.startswith("iya")])
@pytest.mark.parametrize("question", CONFIRMATIONS)
def test_a_no_declines(question: str, said: str, word: str, ctx: Context) -> None:
    options = CONFIRMATIONS[question](ctx)
    assert picked(said.format(word), options) == options[1].key


@pytest.mark.parametrize("words", SKIP)
@pytest.mark.parametrize("question", CONFIRMATIONS)
def test_nothing_more_is_understood_at_a_confirmation(question: str, words: str, ctx: Context) -> None:
    assert picked(words, CONFIRMATIONS[question](ctx)) != ""


@pytest.mark.parametrize("words", ["udah itu aja", "cukup", "sudah cukup pak"])
def test_that_is_all_saves_a_new_case(words: str, ctx: Context) -> None:
    assert picked(words, new_case.confirm_options(ctx)) == "confirm:save"
    assert picked(words, my_meetings.confirm_options(ctx)) == "confirm:yes"


def test_the_members_own_answers_with_a_yes(ctx: Context) -> None:
    declined = MeetingView(**{**MEETING.__dict__, "members": (MemberView(11, "Bu Ani"), MemberView(12, "Pak Dedi", "no"))})
    person = PersonView(**{**ctx.person.__dict__, "schedule": ScheduleView(meetings=(declined,))})
    here = Context(now=ctx.now, person=person, gazetteer=ctx.gazetteer, translators=ctx.translators)
    session = Session().at("attendance", "excused", meeting_id=6, excused=[], absent=[], media=[], photos=0)
    for answer in ("iya pak", "nggih", "sesuai", "1"):
        assert attendance.on_excused(session, Inbound.text_(answer), here).session.data["excused"] == [12]
    assert attendance.on_excused(session, Inbound.text_("gak ada"), here).session.data["excused"] == []
    assert attendance.on_excused(session, Inbound.text_("bu ani"), here).session.data["excused"] == [11]


# --- zero "not understood" at skippable questions -------------------------------------------------

NOTHING = [*SKIP, *NO, *DONE, *NOT_YET]


def _new_case(state: str) -> Callable[[str, Context], Step]:
    session = Session().at("new_case", state, media=[], photos=0, voices=0)
    return lambda text, ctx: new_case.STATES[state].on_answer(session, Inbound.text_(text), ctx)


def _attendance(state: str) -> Callable[[str, Context], Step]:
    session = Session().at("attendance", state, meeting_id=6, excused=[], absent=[], media=[], photos=0)
    return lambda text, ctx: attendance.FLOW.states[state].on_answer(session, Inbound.text_(text), ctx)


def _ewarong(state: str) -> Callable[[str, Context], Step]:
    data = {"area_code": "35.17.18.2001", "village": "Bandarkedungmulyo", "agent_id": 1, "agent_name": "e-Warong Makmur Jaya"}
    session = Session().at("ewarong_visit", state, media=[], photos=0, voices=0, **data)
    return lambda text, ctx: ewarong_visit.STATES[state].on_answer(session, Inbound.text_(text), ctx)


def _my_meetings(state: str) -> Callable[[str, Context], Step]:
    session = Session().at("my_meetings", state, meeting_id=7, day="2026-11-28")
    return lambda text, ctx: my_meetings.STATES[state].on_answer(session, Inbound.text_(text), ctx)


def _group_members(text: str, ctx: Context) -> Step:
    session = Session().at("group_members", "member", group="Mawar 1", area="32.73.16.1002")
    return group_members.FLOW.states["member"].on_answer(session, Inbound.text_(text), ctx)


SKIPPABLE: dict[str, tuple[Callable[[str, Context], Step], Callable[[Step], bool]]] = {
    "new case: name": (_new_case("name"), lambda s: s.session.state == "rt_rw" and s.session.data["name"] == ""),
    "new case: RT/RW": (_new_case("rt_rw"), lambda s: s.session.state == "ppks" and s.session.data["rt_rw"] == ""),
    "new case: photos": (_new_case("photos"), lambda s: s.session.state == "steps"),
    "new case: plan": (_new_case("steps"), lambda s: s.session.state == "partners" and s.session.data["steps"] == ""),
    "new case: partners": (_new_case("partners"), lambda s: s.session.data.get("partners") == []),
    "attendance: excused": (_attendance("excused"), lambda s: s.session.state == "absent" and s.session.data["excused"] == []),
    "attendance: absent": (_attendance("absent"), lambda s: s.session.state == "note" and s.session.data["absent"] == []),
    "attendance: note": (_attendance("note"), lambda s: s.session.state == "confirm" and s.session.data["note"] == ""),
    "e-Warong: failed": (_ewarong("failed"), lambda s: s.session.state == "note" and s.session.data["transactions_failed"] == 0),
    "e-Warong: note": (_ewarong("note"), lambda s: s.session.state == "confirm" and s.session.data["note"] == ""),
    "cancel reason": (_my_meetings("cancel_reason"), lambda s: s.session.state == "cancel_confirm" and s.session.data["reason"] == ""),
    "group members: done": (_group_members, lambda s: s.session.flow == "" and s.start_flow == "menu"),
}  # fmt: skip


@pytest.mark.parametrize("words", NOTHING)
@pytest.mark.parametrize("question", SKIPPABLE)
def test_nothing_skips(question: str, words: str, ctx: Context) -> None:
    answer, skipped = SKIPPABLE[question]
    for said in (words, f"{words} pak", f"{words} bu"):
        assert skipped(answer(said, ctx)), said


@pytest.mark.parametrize("words", ["gak tau", "tidak tahu", "belum tahu", "kurang tau"])
@pytest.mark.parametrize(
    "question", ["new case: name", "new case: RT/RW", "new case: plan", "new case: partners", "attendance: note",
                 "e-Warong: note", "cancel reason"],
)  # fmt: skip
def test_not_knowing_skips_what_may_be_left_out(question: str, words: str, ctx: Context) -> None:
    answer, skipped = SKIPPABLE[question]
    assert skipped(answer(words, ctx))


@pytest.mark.parametrize("words", ["gak usah", "tidak", "sama aja", "tetap", "1"])
def test_keeping_the_day_and_time(words: str, ctx: Context) -> None:
    moved = _my_meetings("move_day")(words, ctx)
    assert moved.session.state == "move_time" and moved.session.data["day"] == "2026-11-28"
    kept = my_meetings.on_move_time(moved.session, Inbound.text_(words), ctx)
    assert kept.replies[0].text == "Hari dan jamnya sama seperti sebelumnya, jadi tidak ada yang diubah."


@pytest.mark.parametrize(
    ("question", "text", "kept"),
    [
        ("new case: name", "Lewi", "Lewi"),  # spelled like "lewati", still a name
        ("new case: name", "Mbah Sarinah", "Mbah Sarinah"),
        ("new case: plan", "tidak ada yang merawat, antar ke panti", "tidak ada yang merawat, antar ke panti"),
        ("attendance: note", "Tidak ada kendala, semua anggota aktif bertanya", "Tidak ada kendala, semua anggota aktif bertanya"),
        ("e-Warong: note", "lewat jam 10 baru buka", "lewat jam 10 baru buka"),
        ("cancel reason", "banjir", "banjir"),
    ],
)  # fmt: skip
def test_free_text_that_starts_like_a_skip_is_kept(question: str, text: str, kept: str, ctx: Context) -> None:
    answer, _skipped = SKIPPABLE[question]
    data = answer(text, ctx).session.data
    assert kept in (data.get("name"), data.get("steps"), data.get("note"), data.get("reason"))


@pytest.mark.parametrize("text", ["Sudarmi", "081234567890", "Bu Tentrem"])
def test_a_member_to_add_is_not_read_as_done(text: str, ctx: Context) -> None:
    added = _group_members(text, ctx)
    assert added.session.state == "member" and added.effects


def test_several_partners_in_one_part_still_split(ctx: Context) -> None:
    picked_ = choose_several(Inbound.text_("pak rt sama puskesmas"), new_case.partner_options(ctx))
    assert picked_ is not None and [o.key for o in picked_] == ["partner:rt_rw", "partner:dinkes"]
