"""First contact: a short privacy notice, consent, then the language.

Households fear that a report will get them punished (seed 000), so the notice
says plainly what is kept, who sees it, and that a report is to help. After the
language the person finds their village (the ``area`` flow) and lands on the menu.
"""

from __future__ import annotations

from conversations.effects import DeclineConsent, GiveConsent, SetLanguage
from conversations.flow import Flow, State, reprompt
from conversations.flows.language import LANGUAGES
from conversations.matching import choose
from conversations.types import Context, Inbound, Option, Reply, Session, Step

N_ = str


def consent_options(ctx: Context) -> tuple[Option, ...]:
    return (
        Option("consent:yes", ctx.t("Setuju"), ("ya", "iya", "y", "ok", "oke", "yes", "agree", "setuju")),
        Option("consent:no", ctx.t("Tidak setuju"), ("tidak", "tdk", "gak", "nggak", "no", "tidak mau")),
    )


def ask_consent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    notice = ctx.t(
        "Selamat datang di Kawal Bansos.\n"
        "Di sini Anda bisa melapor masalah kartu KKS, saldo, atau e-Warong, dan mendapat pengingat jadwal.\n\n"
        "Yang kami simpan: nomor HP, desa, dan isi laporan Anda.\n"
        "Yang bisa melihat: pendamping (PSM, TKSK, PKH) dan petugas kelurahan di wilayah Anda.\n"
        "Laporan untuk membantu Anda, bukan untuk menghukum.\n\n"
        "Apakah Anda setuju? (Type ENGLISH for English.)"
    )
    return (Reply(notice, consent_options(ctx)),)


def remind_consent(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Apakah Anda setuju dengan ketentuan di atas? Balas 1 atau 2."), consent_options(ctx)),)


def start(session: Session, ctx: Context) -> Step:
    """Shows the privacy notice and asks for consent."""
    onboarding = session.at("onboarding", "consent")
    return Step(onboarding, ask_consent(onboarding, ctx))


def on_consent(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Records consent and asks the language; a no is respected and nothing more is asked."""
    option = choose(inbound, consent_options(ctx))
    if option is None:
        return reprompt(session, inbound, ctx, remind_consent)
    if option.key == "consent:no":
        goodbye = Reply(
            ctx.t(
                "Baik, tidak apa-apa. Kami tidak menyimpan data Anda lebih lanjut.\n"
                "Jika berubah pikiran, ketik MULAI kapan saja."
            )
        )
        return Step(session.idle(), (goodbye,), (DeclineConsent(),))
    if session.data.get("language_chosen") or ctx.person.locale != ctx.default_locale:  # chosen already (ENGLISH)
        return Step(session.idle(), (), (GiveConsent(),), start_flow=_after_language(ctx))
    asking = session.goto("language")
    return Step(asking, ask_language(asking, ctx), (GiveConsent(),))


def ask_language(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Terima kasih. Pilih bahasa / Choose your language:"), LANGUAGES),)


def on_language(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Stores the language and goes on to finding the person's village."""
    option = choose(inbound, LANGUAGES)
    if option is None:
        return reprompt(session, inbound, ctx, ask_language)
    locale = option.key.removeprefix("lang:")
    return Step(session.idle(), (), (SetLanguage(locale),), start_flow=_after_language(ctx))


def _after_language(ctx: Context) -> str:
    """Companions arrive with their area from an invitation; everyone else finds their village."""
    return "menu" if ctx.person.area_code else "area"


FLOW = Flow(
    "onboarding",
    start=start,
    states={
        "consent": State(ask=ask_consent, on_answer=on_consent, remind=remind_consent),
        "language": State(ask=ask_language, on_answer=on_language),
    },
)
