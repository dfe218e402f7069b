"""First contact: a three-line privacy notice and a plain yes or no; nothing else is asked before the village.

Households fear that a report will get them punished (seed 000), so the notice
says plainly what is kept, who sees it, and that a report is to help. The
language is not asked: Indonesian, unless the first message is written in
English (or the person types ENGLISH). Whatever the person sent first (a
problem, a ticket code, a photo) is kept in the session (``first``) and acted on
as soon as onboarding is over (see ``engine._follow_jumps``). A household whose
phone is in the imported list has its village already and goes straight on.
"""

from __future__ import annotations

from typing import Any

from conversations.effects import DeclineConsent, GiveConsent, SetArea, SetLanguage
from conversations.flow import Flow, State, reprompt
from conversations.matching import choose, is_word
from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step
from conversations.understand import looks_english

FIRST = "first"
"""Session key of the message a new person sent before consenting, kept to be acted on afterwards."""
_NOT_WORTH_KEEPING = frozenset({"", "start", "mulai", "menu", "daftar", "halo", "hai", "tes", "test", "p", "ping"})


def consent_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("consent:yes", ctx.t("Ya, setuju"), ("setuju", "agree", "yes i agree"), means=("yes", "done")),
        Option("consent:no", ctx.t("Tidak"), ("tidak setuju", "tidak mau", "disagree"), means=("no", "not_yet")),
    )


def ask_consent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    notice = ctx.t(
        "Kawal Bansos membantu Anda melapor masalah kartu KKS, saldo, atau e-Warong.\n"
        "Kami simpan nomor HP, desa, dan laporan Anda. Hanya pendamping dan petugas kelurahan Anda yang membacanya, "
        "untuk membantu, bukan menghukum.\n"
        "Setuju?"
    )
    if session.data.get("hinted"):
        return (Reply(notice, consent_options(ctx)),)
    hint = ctx.t("(Type ENGLISH for English.)")
    return (Reply(f"{notice} {hint}", consent_options(ctx)),)


def remind_consent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apakah Anda setuju? Balas YA atau TIDAK."), consent_options(ctx)),)


def start(session: Session, ctx: Context) -> Step:
    """Shows the privacy notice and asks for consent."""
    onboarding = session.at("onboarding", "consent")
    return Step(onboarding.goto("consent", hinted=True), ask_consent(onboarding, ctx))


def greet(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """A new person's first message: kept to be acted on after consent; written in English, answered in English."""
    first = _worth_keeping(inbound)
    english = inbound.kind is InboundKind.TEXT and looks_english(inbound.text) and ctx.person.locale != "en"
    kept = session.goto(session.state, **{FIRST: first}) if first else session
    if english:
        ctx = ctx.with_locale("en")
        step = start(kept, ctx)
        return Step(step.session, step.replies, (SetLanguage("en"),))
    return start(kept, ctx)


def on_consent(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records consent and goes on to the village (or, for a listed household or a companion, straight on)."""
    option = choose(inbound, consent_options(ctx))
    if option is None:
        kept = _worth_keeping(inbound) if inbound.kind in (InboundKind.PHOTO, InboundKind.VOICE) else None
        if kept and not session.data.get(FIRST):  # a picture sent before answering goes into the report after
            return reprompt(session.goto(session.state, **{FIRST: kept}), inbound, ctx, remind_consent)
        return reprompt(session, inbound, ctx, remind_consent)
    if option.key == "consent:no":
        goodbye = Reply(
            ctx.t(
                "Baik, tidak apa-apa. Kami tidak menyimpan data Anda lebih lanjut.\n"
                "Jika berubah pikiran, ketik MULAI kapan saja."
            )
        )
        return Step(session.cleared(), (goodbye,), (DeclineConsent(),))
    carried = session.idle()
    effects: tuple[Any, ...] = (GiveConsent(),)
    if ctx.person.area_code or ctx.person.is_companion:
        return Step(carried, (), effects, start_flow="menu")
    listed = {household.area_code for household in ctx.person.households}
    if len(listed) == 1:
        return Step(carried, (), (*effects, SetArea(listed.pop())), start_flow="menu")
    return Step(carried, (), effects, start_flow="area")


def _worth_keeping(inbound: Inbound) -> dict[str, Any] | None:
    """A first message with something to act on, as JSON; None for a bare greeting, /start or an empty tap."""
    if inbound.kind in (InboundKind.PHOTO, InboundKind.VOICE) and inbound.media is not None:
        return {"kind": inbound.kind.value, "text": inbound.text[:500], "media": inbound.media.ref, "mime": inbound.media.mime_type}
    if inbound.kind is InboundKind.TEXT and not is_word(inbound.text, _NOT_WORTH_KEEPING):
        return {"kind": inbound.kind.value, "text": inbound.text[:500]}
    return None


FLOW = Flow(
    "onboarding",
    start=start,
    states={"consent": State(ask=ask_consent, on_answer=on_consent, remind=remind_consent)},
)
