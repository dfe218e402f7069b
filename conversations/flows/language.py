"""Choosing a language, from the menu or by typing BAHASA anywhere.

The question interrupts whatever was pending; after the answer, that question
is asked again in the new language (the interrupted place is kept in ``data``).
"""

from __future__ import annotations

from conversations.effects import SetLanguage
from conversations.flow import Flow, State, reprompt
from conversations.matching import choose
from conversations.types import Context, Inbound, Option, Reply, Session, Step

LANGUAGES = (
    Option("lang:id", "Bahasa Indonesia", ("indonesia", "indonesian", "bahasa")),
    Option("lang:en", "English", ("inggris", "bahasa inggris", "english")),
)


def ask_language(session: Session, ctx: Context) -> tuple[Reply, ...]:
    return (Reply(ctx.t("Pilih bahasa / Choose your language:"), LANGUAGES),)


def start(session: Session, ctx: Context) -> Step:
    """Remembers the interrupted question and asks for the language."""
    resume = {"flow": session.flow, "state": session.state, "data": dict(session.data)}
    picking = session.at("language", "choice", resume=resume)
    return Step(picking, ask_language(picking, ctx))


def on_choice(session: Session, inbound: Inbound, ctx: Context) -> Step:
    """Stores the language and returns to the interrupted question, now in that language."""
    option = choose(inbound, LANGUAGES)
    if option is None:
        return reprompt(session, inbound, ctx, ask_language)
    locale = option.key.removeprefix("lang:")
    return switch_language(session, ctx, locale, resume=session.data.get("resume") or {})


def switch_language(session: Session, ctx: Context, locale: str, *, resume: dict | None = None) -> Step:
    """Sets ``locale`` and goes back to ``resume`` (or the menu when nothing was pending)."""
    ctx = ctx.with_locale(locale)
    done = Reply(ctx.t("Baik, kita pakai Bahasa Indonesia."))
    resume = resume or {}
    if resume.get("flow"):
        back = session.at(resume["flow"], resume["state"], **resume.get("data", {}))
        return Step(back, (done,), (SetLanguage(locale),), reask=True)
    return Step(session.idle(), (done,), (SetLanguage(locale),), start_flow="menu")


FLOW = Flow("language", start=start, states={"choice": State(ask=ask_language, on_answer=on_choice)})
