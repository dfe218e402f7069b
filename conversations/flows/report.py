"""A household reports a card or distribution problem (or a companion files one for them).

Asked one at a time, only what the category needs: the problem (from the menu,
or read from the person's own words: taken at once when clear, the person told
how to change it; confirmed in one tap when not), the household (known from the
phone number when it is in the list; otherwise its name), the category's
questions that the first message did not already answer, then a summary to
confirm. A photo or voice note sent at any point is kept with the report and
acknowledged; a voice note answers a question that asks for a story, never one
that asks for a name. Ends with ``OpenCase``, or ``AttachToCase`` when the same
problem is already open for this household.

Categories, questions and procedures are data: ``conversations/categories.py``
and ``conversations/flows/report_questions.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from conversations.categories import BY_CODE, CATEGORIES, Category
from conversations.effects import AttachToCase, OpenCase
from conversations.flow import Flow, OnAnswer, State, reprompt
from conversations.flows import report_questions as questions
from conversations.matching import choose, choose_exactly, has_words, is_plain_answer, is_word, means
from conversations.types import Context, Inbound, InboundKind, MediaRef, Option, Reply, Session, Step
from conversations.understand.classify import classify
from conversations.understand.facts import facts

FLOW_NAME = "report"
OTHER = "other"
"""The problem a report goes on as when the person cannot pick one from the list (``on_category``)."""


def category_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(f"cat:{c.code}", ctx.t(c.label), c.keywords[:2]) for c in CATEGORIES)


def ask_category(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apa masalahnya? Balas dengan nomor:"), category_options(ctx)),)


def start(session: Session, ctx: Context) -> Step:
    """Offers to continue a kept draft, or asks for the problem (companions first name the household)."""
    draft = session.data.get("draft")
    if draft and _draft_fresh(draft, ctx):
        resuming = session.at(FLOW_NAME, "resume", draft=draft)
        return Step(resuming, ask_resume(resuming, ctx))
    if ctx.person.is_companion:
        naming = session.at(FLOW_NAME, "assisted_household", assisted=True)
        return Step(naming, ask_assisted_household(naming, ctx))
    asking = session.at(FLOW_NAME, "category")
    return Step(asking, ask_category(asking, ctx))


CHANGE_WORDS = ("ubah", "ubah masalah", "ganti masalah", "bukan itu", "bukan itu masalahnya", "masalah lain", "change")
MIN_STORY_WORDS = 4
"""A first message this long (in words that carry meaning) answers the category's "tell us" question."""


def start_from_words(session: Session, ctx: Context, text: str, *, media: tuple[str, ...] = ()) -> Step | None:
    """A problem told in one's own words starts its report: taken at once when the words are clear
    (the person is told what was understood and how to change it), else confirmed in one tap. None when
    the words name no problem."""
    reading = classify(text)
    if reading.best is None or reading.best not in BY_CODE:
        return None
    base = session.at(FLOW_NAME, "", first_words=text[:500], ewarong_problems=list(reading.ewarong_problems))
    if media:
        base = base.goto("", media=list(media))
    if reading.confident:
        return _category_chosen(base.goto("", guessed=True), ctx, BY_CODE[reading.best], announce=True)
    guessing = base.goto("confirm_guess", guess=reading.best)
    return Step(guessing, ask_confirm_guess(guessing, ctx))


def start_with_media(session: Session, ctx: Context, media: MediaRef, kind: str, caption: str = "") -> Step:
    """A photo or voice note sent with nothing pending starts a report with it (its caption may say the problem)."""
    note = Reply(_media_note(kind, ctx))
    if caption:
        from_words = start_from_words(session, ctx, caption, media=(media.ref,))
        if from_words is not None:
            return Step(from_words.session, (note, *from_words.replies), from_words.effects, from_words.start_flow)
    if ctx.person.is_companion:
        naming = session.at(FLOW_NAME, "assisted_household", assisted=True, media=[media.ref])
        return Step(naming, (note, *ask_assisted_household(naming, ctx)))
    listing = session.at(FLOW_NAME, "category", media=[media.ref], voiced=kind == InboundKind.VOICE.value)
    return Step(listing, (note, *ask_category(listing, ctx)))


def _media_note(kind: str, ctx: Context) -> str:
    if kind == InboundKind.VOICE.value:
        return ctx.t("Pesan suara Anda kami simpan untuk laporan ini.")
    return ctx.t("Foto Anda kami simpan untuk laporan ini.")


def _draft_fresh(draft: dict[str, Any], ctx: Context) -> bool:
    saved = draft.get("saved_at", "")
    try:
        return ctx.now - datetime.fromisoformat(saved) <= ctx.draft_lifetime
    except ValueError:
        return False


def resume_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("resume:yes", ctx.t("Lanjutkan laporan itu"), ("lanjut", "lanjutkan"), means=("yes",)),
        Option("resume:no", ctx.t("Mulai laporan baru"), ("baru", "mulai baru"), means=("no",)),
    )


def ask_resume(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Anda punya laporan yang belum selesai. Mau dilanjutkan?"), resume_options(ctx)),)


def on_resume(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Continues the kept draft at its pending question, or drops it and starts afresh."""
    option = choose(inbound, resume_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_resume)
    draft = dict(session.data["draft"])
    if option.key == "resume:no":
        return start(session.cleared(), ctx)
    state, data = draft.pop("state"), draft.pop("data")
    back = session.cleared().at(FLOW_NAME, state, **data)
    return Step(back, _ask(back, ctx))


def guess_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("guess:yes", ctx.t("Ya, betul"), ("betul", "benar"), means=("yes", "done")),
        Option("guess:no", ctx.t("Bukan, pilih dari daftar"), ("bukan", "salah", "lain"), means=("no",)),
    )


def ask_confirm_guess(session: Session, ctx: Context) -> tuple[Reply, ...]:
    guessed = BY_CODE[session.data["guess"]]
    label = ctx.t(guessed.label)
    return (Reply(ctx.t("Apakah masalah Anda: {problem}?", problem=label), guess_options(ctx)),)


def on_confirm_guess(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the guessed problem, or shows the full list."""
    option = choose(inbound, guess_options(ctx))
    if option is None:
        picked = choose(inbound, category_options(ctx))
        if picked is None:
            return reprompt(session, inbound, ctx, ask_confirm_guess)
        return _category_chosen(session, ctx, BY_CODE[picked.key.removeprefix("cat:")])
    if option.key == "guess:no":
        listing = session.goto("category")
        return Step(listing, ask_category(listing, ctx))
    return _category_chosen(session, ctx, BY_CODE[session.data["guess"]])


def on_category(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the problem; next, the household (or its open case of the same problem). Someone who answers the
    list with a voice note or "gak tau" is not made to pick: the report goes on as "another problem", told in
    their own voice or words, and the companion listens."""
    option = choose(inbound, category_options(ctx))
    if option is None and _cannot_pick(inbound):
        return _told_instead(session, inbound, ctx)
    if option is None:
        return reprompt(session, inbound, ctx, ask_category)
    return _category_chosen(session, ctx, BY_CODE[option.key.removeprefix("cat:")])


def _cannot_pick(inbound: Inbound) -> bool:
    if inbound.kind is InboundKind.VOICE:
        return inbound.media is not None
    return inbound.kind is InboundKind.TEXT and means(inbound, "unknown")


def _told_instead(session: Session, inbound: Inbound, ctx: Context) -> Step:
    kept = _with_media(session, inbound)
    voiced = bool(kept.data.get("voiced"))
    answers = {**kept.data.get("answers", {}), **({"story": questions.VOICE_ANSWER} if voiced else {})}
    step = _category_chosen(kept.goto("category", answers=answers), ctx, BY_CODE[OTHER])
    said = ctx.t("Tidak apa-apa, tidak perlu memilih. Petugas akan mendengarkan pesan suara Anda.") if voiced else ctx.t(
        "Tidak apa-apa, tidak perlu memilih."
    )
    return Step(step.session, (Reply(said), *step.replies), step.effects, step.start_flow)


def _category_chosen(session: Session, ctx: Context, category: Category, *, announce: bool = False) -> Step:
    answers = dict(session.data.get("answers", {}))
    if session.data.get("first_words"):
        answers.update(_answers_in_words(category, session.data["first_words"], session.data.get("ewarong_problems", ())))
    chosen = session.at(FLOW_NAME, "", **{**session.data, "category": category.code, "answers": answers})
    step = _household_then_questions(chosen, ctx)
    if not announce:
        return step
    told = ctx.t("Laporan: {problem}. (Bukan itu? Balas UBAH.)", problem=ctx.t(category.label))
    question = step.replies[-1] if step.replies else Reply("")
    announced = replace(question, text=f"{told}\n{question.text}".strip())
    return Step(step.session, (*step.replies[:-1], announced), step.effects, step.start_flow)


def _household_then_questions(chosen: Session, ctx: Context) -> Step:
    if chosen.data.get("assisted"):
        return _next_question(chosen, ctx)
    households = ctx.person.households
    if len(households) > 1:
        picking = chosen.goto("household")
        return Step(picking, ask_household(picking, ctx))
    if len(households) == 1:
        chosen = chosen.goto("", household_id=households[0].id)
    elif not chosen.data.get("household_name"):
        naming = chosen.goto("household_name")
        return Step(naming, ask_household_name(naming, ctx))
    return _after_household(chosen, ctx)


def _answers_in_words(category: Category, words: str, ewarong_problems: tuple[str, ...] | list[str]) -> dict[str, str]:
    """What the first message already answers, so it is not asked again: "bulan ini" → since when,
    "200rb" → the amount, the e-Warong problems it names, and the story when it tells one."""
    keys = questions.keys_for(category)
    given = facts(words)
    answers = {key: value for key, value in given.items() if key in keys and questions.accepts(key, value)}
    if "amount" in given:
        answers["amount"] = given["amount"]
    if category.code == "ewarong" and ewarong_problems:
        answers["ewarong_problem"] = ewarong_problems[0]
        answers["ewarong_problems"] = " ".join(ewarong_problems)
    story = next((key for key in keys if key in questions.STORY_KEYS), None)
    if story and questions.tells_a_story(words, MIN_STORY_WORDS):
        answers[story] = words.strip()[:500]
    else:
        answers["message"] = words.strip()[:500]
    return answers


def _after_household(session: Session, ctx: Context) -> Step:
    open_case = _open_case_for(session, ctx)
    if open_case is not None:
        attaching = session.goto("attach", open_reference=open_case)
        return Step(attaching, ask_attach(attaching, ctx))
    return _next_question(session, ctx)


def _open_case_for(session: Session, ctx: Context) -> str | None:
    household_id = session.data.get("household_id")
    for case in ctx.person.cases:
        same_household = household_id is None or case.household_id in (None, household_id)
        if case.is_open and case.category == session.data["category"] and same_household:
            return case.reference
    return None


def household_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(
        Option(f"hh:{h.id}", f"{h.head_name} (RT {h.rt or '-'}/RW {h.rw or '-'})", (h.head_name,))
        for h in ctx.person.households
    )


def ask_household(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Nomor ini terdaftar untuk lebih dari satu keluarga. Laporan ini untuk keluarga siapa?"), household_options(ctx)),)


def on_household(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes which of the phone's households the report is for."""
    option = choose(inbound, household_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, ask_household)
    return _after_household(session.goto("", household_id=int(option.key.removeprefix("hh:"))), ctx)


def ask_household_name(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Siapa nama kepala keluarga penerima bantuan?")),)


def on_household_name(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Keeps the name of a household not (yet) in the list."""
    answer = questions.text_answer(inbound)
    if answer is None:
        return reprompt(session, inbound, ctx, ask_household_name)
    if is_plain_answer(answer):  # "iya", "nggih", "gak tau": an answer, not a name
        return Step(session, (Reply(ctx.t("Tulis nama kepala keluarga, contoh: Siti Aminah.")),))
    noted = questions.time_noted(session, inbound, ctx)
    if noted is not None:
        kept, said = noted
        return Step(kept, (said, *ask_household_name(kept, ctx)))
    if _tells_a_problem(answer):  # the story, where the name is asked: kept, and the name asked again
        told = _with_story(session, answer)
        again = Reply(ctx.t("Baik, kami catat.") + "\n" + ctx.t("Tulis nama kepala keluarga, contoh: Siti Aminah."))
        return Step(told, (again,))
    if not any(character.isalpha() for character in answer):  # a NIK or a phone number: not asked, not kept
        return Step(session, (Reply(ctx.t("Nomor tidak perlu. Cukup tulis nama kepala keluarga, contoh: Siti Aminah.")),))
    return _after_household(_with_media(session.goto("", household_name=answer[:120]), inbound), ctx)


NAME_WORDS = 6
"""An answer to the name question longer than this is not a name."""


def _tells_a_problem(answer: str) -> bool:
    return len(answer.split()) > NAME_WORDS or classify(answer).best not in (None, OTHER)


def _with_story(session: Session, words: str) -> Session:
    """``words`` kept as the report's story (its first unanswered story question), else with its message."""
    answers = dict(session.data.get("answers", {}))
    keys = questions.keys_for(BY_CODE[session.data["category"]])
    story = next((key for key in keys if key in questions.STORY_KEYS and key not in answers), None)
    if story is not None:
        answers[story] = words[:500]
    else:
        answers["message"] = " ".join(filter(None, (answers.get("message", ""), words)))[:500]
    return session.goto(session.state, answers=answers)


def ask_assisted_household(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Lapor untuk warga. Tulis nomor HP atau nama kepala keluarga yang Anda bantu.")),)


def on_assisted_household(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Keeps who the companion files for; then the problem. A household on the list found by the phone number or
    the head's name typed is named back at once, so the companion sees it is the family they mean."""
    if inbound.kind is not InboundKind.TEXT or not has_words(inbound.text):
        return reprompt(session, inbound, ctx, ask_assisted_household)
    typed = inbound.text.strip()[:120]
    found = ctx.household_named
    listing = session.goto("category", filed_for=typed, household_name=found.head_name if found else typed,
                           household_id=found.id if found else None)  # fmt: skip
    if found is None:
        return Step(listing, ask_category(listing, ctx))
    place = ctx.gazetteer.get(found.area_code)
    named = ctx.t(
        "Keluarga: {name} (RT {rt}/RW {rw}, {place}).", name=found.head_name, rt=found.rt or "-", rw=found.rw or "-",
        place=place.name if place else found.area_code,
    )  # fmt: skip
    first, *rest = ask_category(listing, ctx)
    return Step(listing, (replace(first, text=f"{named}\n{first.text}"), *rest))


def attach_options(ctx: Context) -> tuple[Option, ...]:
    return (Option("attach:none", ctx.t("Tidak ada tambahan"), ("tidak ada",), means=("skip", "no", "done")),)


def ask_attach(session: Session, ctx: Context) -> tuple[Reply, ...]:
    text = ctx.t(
        "Anda sudah punya laporan {reference} untuk masalah ini, dan masih ditangani. "
        "Laporan baru akan kami tambahkan ke sana.\n"
        "Ada keterangan tambahan? Tulis, kirim foto atau pesan suara, atau balas 1.",
        reference=session.data["open_reference"],
    )
    return (Reply(text, attach_options(ctx)),)


def on_attach(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Adds what was sent to the open case, without opening a second one."""
    reference = session.data["open_reference"]
    if choose_exactly(inbound, attach_options(ctx)) is not None:  # "sudah ke polsek minggu lalu" is a note, not a "done"
        note = ""
    else:
        answer = questions.text_answer(inbound)
        if answer is None:
            return reprompt(session, inbound, ctx, ask_attach)
        note = answer
    media = tuple(_with_media(session, inbound).data.get("media", []))
    done = Reply(ctx.t("Terima kasih. Sudah kami tambahkan ke laporan {reference}.", reference=reference))
    effect = AttachToCase(reference=reference, note=note or session.data.get("first_words", ""), media=media)
    return Step(session.idle(), (done,), (effect,), start_flow="menu")


def _next_question(session: Session, ctx: Context) -> Step:
    category = BY_CODE[session.data["category"]]
    answers = session.data.get("answers", {})
    for key in questions.keys_for(category):
        if key not in answers:
            asking = session.goto(f"q:{key}")
            return Step(asking, questions.ask(key, asking, ctx))
    confirming = session.goto("confirm")
    return Step(confirming, ask_confirm(confirming, ctx))


def on_question(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Takes the answer to the pending category question, then asks the next one."""
    key = session.state.removeprefix("q:")
    noted = questions.time_noted(session, inbound, ctx) if key in questions.NOT_A_TIME else None
    if noted is not None:
        kept, said = noted
        return Step(kept, (said, *questions.ask(key, kept, ctx)))
    answer = questions.answer(key, inbound, session, ctx)
    if answer is None:
        return reprompt(session, inbound, ctx, lambda s, c: questions.ask(key, s, c))
    answers = {**session.data.get("answers", {}), key: answer}
    return _next_question(_with_media(session.goto("", answers=answers), inbound), ctx)


def confirm_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("confirm:send", ctx.t("Kirim laporan"), ("kirim", "kirimkan", "send"), means=("yes", "done")),
        Option("confirm:cancel", ctx.t("Batalkan"), ("batal", "tidak jadi"), means=("no",)),
    )


def ask_confirm(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(questions.summary(session, ctx), confirm_options(ctx)),)


def on_confirm(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Opens the case; tells its number, the next steps, and who will see it. "Belum" (not yet) keeps the
    report waiting here: it is not a "no", and cancelling would throw away everything the person told."""
    if inbound.kind is InboundKind.TEXT and means(inbound, "not_yet"):
        waiting = Reply(ctx.t("Baik, belum dikirim. Laporan Anda tetap kami simpan. Kalau sudah siap, balas KIRIM."),
                        confirm_options(ctx))  # fmt: skip
        return Step(session, (waiting,))
    option = choose(inbound, confirm_options(ctx))
    if option is None and (corrected := _corrected(session, inbound, ctx)) is not None:
        changed = corrected.data["answers"] != session.data.get("answers", {})
        noted = Reply(ctx.t("Baik, sudah kami ubah.") if changed else ctx.t("Baik."))
        return Step(corrected, (noted, *ask_confirm(corrected, ctx)))
    if option is None and inbound.kind is InboundKind.TEXT and means(inbound, "unknown"):  # "gak tau", "bingung"
        plain = Reply(ctx.t("Tidak apa-apa. Balas 1 untuk mengirim laporan ini ke petugas, atau 2 untuk membatalkannya."),
                      confirm_options(ctx))  # fmt: skip
        return Step(session, (plain,))
    if option is None:
        return reprompt(session, inbound, ctx, ask_confirm)
    if option.key == "confirm:cancel":
        cancelled = Reply(ctx.t("Laporan dibatalkan. Tidak ada yang dikirim."))
        return Step(session.cleared(), (cancelled,), start_flow="menu")
    data = session.data
    reference = ctx.new_reference()
    effect = OpenCase(
        reference=reference,
        category=data["category"],
        area_code=_area_of(session, ctx),
        household_id=data.get("household_id"),
        household_name=data.get("household_name", ""),
        answers=dict(data.get("answers", {})),
        media=tuple(data.get("media", [])),
        filed_for=data.get("filed_for", ""),
    )
    category = BY_CODE[data["category"]]
    replies = questions.receipt(category, reference, data, ctx, effect.area_code)
    return Step(session.cleared(), replies, (effect,), start_flow="menu")


CORRECTABLE = ("program", "ewarong_problem")
"""Questions whose options an answer at the summary may name again ("sembako", "pkh"), to confirm or correct."""


def _corrected(session: Session, inbound: Inbound, ctx: Context) -> Session | None:
    """The summary's answer to one of ``CORRECTABLE`` said again at the summary, kept (changed or not); None when
    the message names none."""
    keys = questions.keys_for(BY_CODE[session.data["category"]])
    for key in (k for k in CORRECTABLE if k in keys):
        named = tuple(o for o in questions.options_for(key, ctx) if not o.key.endswith(":unknown"))  # not "gak tau"
        option = choose_exactly(inbound, named)
        if option is not None:
            value = option.key.removeprefix(f"{key}:")
            answers = {**session.data.get("answers", {}), key: value}
            if key == "ewarong_problem":
                answers["ewarong_problems"] = value
            return session.goto("confirm", answers=answers)
    return None


def _area_of(session: Session, ctx: Context) -> str:
    household_id = session.data.get("household_id")
    for household in ctx.person.households:
        if household.id == household_id:
            return household.area_code
    return ctx.person.area_code


def _with_media(session: Session, inbound: Inbound) -> Session:
    if inbound.media is None:
        return session
    voiced = session.data.get("voiced", False) or inbound.kind is InboundKind.VOICE  # a voice note among them
    return session.goto(session.state, media=[*session.data.get("media", []), inbound.media.ref], voiced=voiced)


def _ask(session: Session, ctx: Context) -> tuple[Reply, ...]:
    state = STATES.get(session.state)
    return state.ask(session, ctx) if state else ()


def _takes_media_as_answer(session: Session, inbound: Inbound) -> bool:
    """A voice note answers a question that asks for a story, the extra words for an open report, and the list of
    problems (``on_category``: told instead of picked)."""
    if inbound.kind is not InboundKind.VOICE:
        return False
    return session.state in ("attach", "category") or session.state.removeprefix("q:") in questions.STORY_KEYS


def _anywhere(on_answer: OnAnswer) -> OnAnswer:
    """What every question of a report takes besides its answer: a photo or voice note is kept and
    acknowledged (and the question asked again); UBAH after a problem read from one's words lists the problems."""

    def handle(session: Session, inbound: Inbound, ctx: Context) -> Step:
        if inbound.kind in (InboundKind.PHOTO, InboundKind.VOICE) and inbound.media is not None:
            if not _takes_media_as_answer(session, inbound):
                kept = _with_media(session, inbound)
                return Step(kept, (Reply(_media_note(inbound.kind.value, ctx)), *_ask(kept, ctx)))
        if session.data.get("guessed") and inbound.kind is InboundKind.TEXT and is_word(inbound.text, CHANGE_WORDS):
            listing = session.goto("category", guessed=False, answers={}, first_words="")
            return Step(listing, ask_category(listing, ctx))
        return on_answer(session, inbound, ctx)

    return handle


STATES: dict[str, State] = {
    "resume": State(ask=ask_resume, on_answer=on_resume),
    "confirm_guess": State(ask=ask_confirm_guess, on_answer=_anywhere(on_confirm_guess)),
    "category": State(ask=ask_category, on_answer=_anywhere(on_category)),
    "household": State(ask=ask_household, on_answer=_anywhere(on_household)),
    "household_name": State(ask=ask_household_name, on_answer=_anywhere(on_household_name)),
    "assisted_household": State(ask=ask_assisted_household, on_answer=_anywhere(on_assisted_household)),
    "attach": State(ask=ask_attach, on_answer=_anywhere(on_attach)),
    "confirm": State(ask=ask_confirm, on_answer=_anywhere(on_confirm)),
    **{
        f"q:{key}": State(ask=partial(questions.ask, key), on_answer=_anywhere(on_question))
        for key in questions.ASKED_KEYS
    },
}

FLOW = Flow(FLOW_NAME, start=start, states=STATES)
