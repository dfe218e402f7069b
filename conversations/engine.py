"""``step()``: one message in, the new session, replies and effects out.

Order of business for every message:

1. an expired flow is dropped (with a short note when a question was pending);
2. input no flow can use is answered here: empty text, only emoji, stickers and
   other unsupported kinds, text over the length limit;
3. global words (MENU, BATAL, BANTUAN, BAHASA/ENGLISH/INDONESIA, BERHENTI, MULAI, and STATUS in the middle
   of a question);
4. a person who has not consented is taken through onboarding;
5. otherwise the pending state's handler takes the answer (at rest: the menu).
"""

from __future__ import annotations

from dataclasses import replace

from conversations import help as words
from conversations.categories import guess
from conversations.effects import (
    AddGroupMember,
    AnswerMeeting,
    AttachToCase,
    CancelMeeting,
    ChangeMeeting,
    CountWrongCode,
    CreateInvitation,
    DeclineConsent,
    Effect,
    GiveConsent,
    OpenCase,
    OpenCompanionCase,
    OptIn,
    OptOut,
    RecordAttendance,
    RecordEwarongVisit,
    ScheduleMeeting,
    SendDigest,
    SetArea,
    SetLanguage,
    UpdateCase,
)
from conversations.flow import ask_again
from conversations.flows import (
    FLOWS,
    area,
    attendance,
    cases,
    ewarong_visit,
    group_members,
    menu,
    my_meetings,
    onboarding,
    plan_meeting,
    report,
    schedule,
    status,
)  # fmt: skip
from conversations.flows.language import switch_language
from conversations.flows.meeting_answers import answer_at_rest
from conversations.matching import has_words, normalize, option_number
from conversations.types import CaseView, Context, Inbound, InboundKind, MediaRef, PersonView, Reply, Session, Step
from conversations.understand.classify import asked_about

MAX_JUMPS = 5
RESTING_FLOWS = ("", "menu")
HISTORY_FLOWS = (
    "report", "status", "cases", schedule.FLOW_NAME, plan_meeting.FLOW_NAME, my_meetings.FLOW_NAME, attendance.FLOW_NAME,
    ewarong_visit.FLOW_NAME, group_members.FLOW_NAME,
)  # fmt: skip
HISTORY_ENTRIES = ("report", "status", "assisted", "my_cases", "schedule", "ewarong_visit")
WITHOUT_SCHEDULE = ("report", "status", "cases")
"""History flows whose steps never read the schedule nor start a flow that does (they end in the menu)."""


def step(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Advance ``session`` by one ``inbound`` message. Never raises on odd input."""
    notes: tuple[Reply, ...] = ()
    if _expired(session, ctx):
        if session.flow == "report" and _draft_worth_keeping(session, ctx):
            notes = (Reply(ctx.t("Laporan Anda belum selesai. Sudah kami simpan: pilih Lapor di menu untuk melanjutkan.")),)
            session = _keep_draft(session, ctx)
        elif session.flow not in RESTING_FLOWS:
            notes = (Reply(ctx.t("Percakapan sebelumnya sudah lama tidak dibalas, jadi kita mulai lagi.")),)
            # the answer was meant for the expired question, so it is not read as a menu choice
            session = session.without(onboarding.FIRST).at("", "", expired=True)
        else:
            session = session.idle().without(onboarding.FIRST)
    try:
        result = _follow_jumps(_dispatch(session, inbound, ctx), ctx)
    except KeyError:  # a session saved without what its state needs (by an older version): start over, keep the draft
        again = Reply(ctx.t("Maaf, pertanyaan sebelumnya tidak bisa dilanjutkan, jadi kita mulai lagi dari menu."))
        result = _follow_jumps(Step(session.idle(), (again,), start_flow="menu"), ctx)
    if not result.replies and not result.effects:  # what the question was about is gone (a meeting, a case)
        gone = Reply(ctx.t("Maaf, yang sedang Anda isi sudah tidak ada lagi, mungkin sudah diubah atau dibatalkan. Kita kembali ke menu."))
        result = _follow_jumps(Step(result.session.idle(), (gone,), start_flow="menu"), ctx)
    return Step(replace(result.session, updated_at=ctx.now), notes + result.replies, result.effects)


def after_code(session: Session, ctx: Context) -> Step:
    """The shell has handled an invitation code (``DAFTAR AB23CD45``, ``/start AB23CD45``): a person in the middle
    of a question is asked it again, with nothing they filled in lost; anyone else goes on as on a first contact."""
    if session.flow not in RESTING_FLOWS and not _expired(session, ctx) and ctx.person.consented:
        pending = ask_again(session, ctx, FLOWS)
        if pending:
            return Step(replace(session, updated_at=ctx.now), pending)
    return step(session, Inbound.text_("/start"), ctx)


def _draft_worth_keeping(session: Session, ctx: Context) -> bool:
    return session.updated_at is not None and ctx.now - session.updated_at <= ctx.draft_lifetime


def reads_history(session: Session, inbound: Inbound, ctx: Context) -> bool:
    """Whether this step may read the person's households, reports and schedule, so the shell loads them only then.

    ``ctx`` is the context without them. At rest, only a report, a status
    check, a ticket code or the schedule needs them; inside those flows, every step may.
    """
    if session.flow in HISTORY_FLOWS or session.flow == "onboarding" or session.data.get(onboarding.FIRST):
        return True  # onboarding may act on the first message, which may be a report
    if inbound.kind is InboundKind.TEXT and _asks_status(normalize(inbound.text), ctx):
        return True  # STATUS in the middle of any question shows the reports (cases) before asking it again
    if _report_asked(session, inbound, ctx):
        return True
    if session.flow not in RESTING_FLOWS or inbound.kind not in (InboundKind.TEXT, InboundKind.OPTION):
        return False
    if inbound.kind is InboundKind.TEXT and (
        status.find_reference(inbound.text) or guess(inbound.text) is not None or asked_about(inbound.text)
    ):
        return True
    return menu.choice_key(inbound, ctx) in HISTORY_ENTRIES


def reads_schedule(session: Session, ctx: Context) -> bool:
    """Of the history (``reads_history``), whether the step may read the schedule too: the most costly part, so
    not loaded inside a report, a status check or a case. An expired session is at rest again: any choice may
    follow."""
    return session.flow not in WITHOUT_SCHEDULE or _expired(session, ctx)


def _keep_draft(session: Session, ctx: Context) -> Session:
    """An abandoned report is kept for a day (``Context.draft_lifetime``) from its last answer, and offered again."""
    assert session.updated_at is not None
    data = {k: v for k, v in session.data.items() if k != "draft"}
    draft = {"state": session.state, "data": data, "saved_at": session.updated_at.isoformat()}
    return session.cleared().at("", "", expired=True, draft=draft)


def apply_to_person(person: PersonView, effects: tuple[Effect, ...]) -> PersonView:
    """How the effects change what the engine knows of the person (the shell stores the same)."""
    for effect in effects:
        match effect:
            case GiveConsent():
                person = replace(person, consented=True, declined=False)
            case DeclineConsent():
                person = replace(person, consented=False, declined=True)
            case SetLanguage(locale=locale):
                person = replace(person, locale=locale)
            case SetArea(area_code=code):
                person = replace(person, area_code=code)
            case OptOut():
                person = replace(person, opted_out=True)
            case OptIn():
                person = replace(person, opted_out=False)
            case OpenCase(reference=reference, category=category, household_id=household_id):
                opened = CaseView(reference, category, "new", household_id=household_id)
                person = replace(person, cases=(*person.cases, opened))
            case (
                AttachToCase() | UpdateCase() | OpenCompanionCase() | CreateInvitation() | ScheduleMeeting()
                | ChangeMeeting() | CancelMeeting() | RecordAttendance() | AnswerMeeting() | RecordEwarongVisit()
                | SendDigest() | AddGroupMember() | CountWrongCode()
            ):
                pass  # nothing the engine keeps about the person
    return person


def _expired(session: Session, ctx: Context) -> bool:
    return bool(session.flow) and session.updated_at is not None and ctx.now - session.updated_at > ctx.session_timeout


def _dispatch(session: Session, inbound: Inbound, ctx: Context) -> Step:
    problem = _unusable(inbound, ctx)
    if problem is not None:
        return Step(session, (problem, *_pending_question(session, ctx)))
    if inbound.kind is InboundKind.TEXT:
        handled = _global_word(session, normalize(inbound.text), ctx)
        if handled is not None:
            return handled
    asked = _report_asked(session, inbound, ctx)
    if asked == "status":
        return _status_in_passing(session, ctx)
    if asked:  # a ticket code
        shown = status.show(session, ctx, asked)
        return Step(session, (*shown.replies, *_pending_question(session, ctx)), shown.effects)
    if not ctx.person.consented and session.flow != "onboarding":
        return onboarding.greet(session, inbound, ctx)
    if session.flow in RESTING_FLOWS:
        return _at_rest(session, inbound, ctx)
    flow = FLOWS.get(session.flow)
    state = flow.states.get(session.state) if flow else None
    if state is None:
        return FLOWS["menu"].start(session.idle(), ctx)
    return state.on_answer(session, inbound, ctx)


def _act_on_first_message(session: Session, ctx: Context) -> Step:
    """Onboarding is over: what the person wrote first is handled now, as if sent at rest
    (a problem starts its report, a ticket code shows it); a photo or voice note starts a report with it."""
    first = session.data[onboarding.FIRST]
    session = session.without(onboarding.FIRST).idle()
    if first.get("media"):
        media = MediaRef(first["media"], first.get("mime", ""))
        if ctx.person.is_companion:
            return FLOWS["menu"].start(session, ctx)
        return report.start_with_media(session, ctx, media, first.get("kind", ""), first.get("text", ""))
    return _at_rest(session, Inbound.text_(first.get("text", "")), ctx, first=True)


def _at_rest(session: Session, inbound: Inbound, ctx: Context, *, first: bool = False) -> Step:
    """With nothing pending: an answer to a meeting reminder is passed on; a ticket code shows that report;
    a menu choice runs; a problem told in one's own words starts a report; anything else shows the menu."""
    answered = answer_at_rest(session, inbound, ctx)
    if answered is not None:
        return answered
    text = inbound.text if inbound.kind is InboundKind.TEXT else ""
    if session.data.get("expired") and (inbound.kind is not InboundKind.TEXT or option_number(text) is not None):
        return FLOWS["menu"].start(session.idle(), ctx)  # a number meant for the expired question
    reference = status.find_reference(text)
    if reference and ctx.person.is_companion:
        return cases.open_case(session.idle(), ctx, reference)
    if reference:
        return status.show(session.idle(), ctx, reference)
    return menu.on_choice(session.idle().at("menu", "choice"), inbound, ctx, greeting=first or session.flow != "menu")


def _unusable(inbound: Inbound, ctx: Context) -> Reply | None:
    """A reply for input that no question can take, or None."""
    if inbound.kind is InboundKind.UNSUPPORTED:
        if inbound.unsupported == "edited":
            return Reply(ctx.t("Pesan yang diubah tidak kami baca ulang. Silakan kirim sebagai pesan baru."))
        if inbound.unsupported == "too_large":
            return Reply(ctx.t("Maaf, file Anda terlalu besar untuk kami simpan. Kirim foto yang lebih kecil atau pesan suara yang lebih pendek."))
        return Reply(ctx.t("Maaf, jenis pesan ini belum bisa kami baca. Kirim tulisan, foto, atau pesan suara."))
    if inbound.kind is not InboundKind.TEXT:
        return None
    if not inbound.text.strip():
        return Reply(ctx.t("Pesan Anda kosong. Silakan tulis jawaban Anda."))
    if len(inbound.text) > ctx.max_text_length:
        return Reply(
            ctx.t(
                "Pesan Anda terlalu panjang ({length} huruf). Sudah kami simpan, tapi mohon kirim "
                "yang lebih singkat, paling banyak {limit} huruf.",
                length=len(inbound.text),
                limit=ctx.max_text_length,
            )
        )
    if not has_words(inbound.text):
        return Reply(ctx.t("Maaf, kami belum bisa membaca emoji. Balas dengan tulisan atau nomor pilihan."))
    return None


def _pending_question(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return ask_again(session, ctx, FLOWS) if ctx.person.consented or session.flow == "onboarding" else ()


def _global_word(session: Session, text: str, ctx: Context) -> Step | None:
    if text in words.HELP_WORDS:
        return Step(session, (words.help_reply(ctx), *_pending_question(session, ctx)))
    if (text in words.ENGLISH_WORDS or text in words.INDONESIAN_WORDS) and not _asking_language(session):
        locale = "en" if text in words.ENGLISH_WORDS else "id"
        resume = {"flow": session.flow, "state": session.state, "data": dict(session.data)}
        if not ctx.person.consented:
            resume = {"flow": "onboarding", "state": "consent", "data": {**session.data, "hinted": True}}
        return switch_language(session, ctx, locale, resume=resume)
    if text in words.STOP_WORDS:
        done = Reply(
            ctx.t(
                "Baik, pengingat, kabar jadwal, dan ringkasan tidak kami kirim lagi. Kasus yang diserahkan kepada Anda "
                "tetap kami kirim. Ketik MULAI untuk menerima lagi."
            )
            if ctx.person.is_companion
            else ctx.t(
                "Baik, Anda tidak akan menerima pengingat dan kabar lagi. Laporan tetap bisa dikirim. "
                "Ketik MULAI untuk menerima lagi."
            )
        )
        return Step(session, (done, *_pending_question(session, ctx)), (OptOut(),))
    if text in words.START_WORDS:
        return _start_word(session, ctx)
    if not ctx.person.consented:
        return None  # menu, cancel and language choice only make sense after consent
    if text in words.LANGUAGE_WORDS:
        return FLOWS["language"].start(session, ctx)
    if text in words.AREA_WORDS and not ctx.person.is_companion:
        return area.change(session, ctx)
    if _asks_status(text, ctx) and session.flow not in RESTING_FLOWS:
        return _status_in_passing(session, ctx)
    if text in words.MENU_WORDS and not _offered(session, text, ctx):
        return FLOWS["menu"].start(session.idle().without(onboarding.FIRST), ctx)
    if text in words.CANCEL_WORDS:
        if session.flow in RESTING_FLOWS:
            nothing = Reply(ctx.t("Tidak ada yang sedang diisi."))
            return Step(session, (nothing,), start_flow="menu")
        cancelled = Reply(ctx.t("Dibatalkan. Tidak ada yang disimpan."))
        return Step(session.cleared(), (cancelled,), start_flow="menu")
    return None


CODE_WORDS = 4
"""A message of at most this many words holding a ticket code asks for that report ("cek kb-7q4k2 bu")."""


def _report_asked(session: Session, inbound: Inbound, ctx: Context) -> str:
    """A household in the middle of a question (other than a report's) asking about a report: its ticket code
    ("kb 7q4k2"), ``"status"`` for a question about how far it has got ("kartu saya sudah jadi belum"), else
    ``""``. Shown before the question is asked again."""
    if ctx.person.is_companion or not ctx.person.consented or inbound.kind is not InboundKind.TEXT:
        return ""
    if session.flow in (*RESTING_FLOWS, "report", "onboarding"):
        return ""
    reference = status.find_reference(inbound.text)
    if reference and len(inbound.text.split()) <= CODE_WORDS:
        return reference
    return "status" if asked_about(inbound.text) == "report" else ""


def _offered(session: Session, text: str, ctx: Context) -> bool:
    """The pending question offers an option called ``text`` ("kembali" on a case is "Kembali ke daftar"): the
    question's answer, not the global word."""
    if session.flow in RESTING_FLOWS:
        return False
    return any(text in option.aliases for reply in ask_again(session, ctx, FLOWS) for option in reply.options)


def _asks_status(text: str, ctx: Context) -> bool:
    return text in words.STATUS_WORDS or (ctx.person.is_companion and text in words.CASES_WORDS)


def _status_in_passing(session: Session, ctx: Context) -> Step:
    """STATUS typed in the middle of a question: the person's reports (a companion's open cases), then the same
    question again."""
    if ctx.person.is_companion:
        if session.flow == cases.FLOW_NAME and session.state == "list":
            return cases.start(session, ctx)  # the list is the answer
        return Step(session, (cases.summary(ctx), *_pending_question(session, ctx)))
    if not ctx.person.cases:
        none_yet = Reply(ctx.t("Belum ada laporan Anda yang terkirim."))
        return Step(session, (none_yet, *_pending_question(session, ctx)))
    shown = status.start(session, ctx)
    return Step(session, (*shown.replies, *_pending_question(session, ctx)))


def _asking_language(session: Session) -> bool:
    """On the language question itself, "english" is the answer, not a global word."""
    return session.flow == "language" or (session.flow, session.state) == ("onboarding", "language")


def _start_word(session: Session, ctx: Context) -> Step:
    if ctx.person.opted_out:
        back = Reply(ctx.t("Selamat datang kembali. Anda akan menerima pengingat dan kabar lagi."))
        return Step(session, (back, *_pending_question(session, ctx)), (OptIn(),))
    if not ctx.person.consented:
        return FLOWS["onboarding"].start(session.idle(), ctx)
    return FLOWS["menu"].start(session.idle(), ctx)


def _follow_jumps(result: Step, ctx: Context) -> Step:
    ctx = replace(ctx, person=apply_to_person(ctx.person, result.effects))
    for _ in range(MAX_JUMPS):
        if result.reask:
            again = ask_again(result.session, ctx, FLOWS, short=False)
            result = Step(result.session, result.replies + again, result.effects, result.start_flow)
        if not result.start_flow:
            return result
        if result.start_flow == "menu" and result.session.data.get(onboarding.FIRST):
            following = _act_on_first_message(result.session, ctx)
        else:
            following = FLOWS[result.start_flow].start(result.session, ctx)
        ctx = replace(ctx, person=apply_to_person(ctx.person, following.effects))
        result = result.then(following)
    return result
