"""How a flow is written: named states, each with a question and a handler for its answer.

A flow module ends with its table of contents, e.g.::

    FLOW = Flow("onboarding", start=start, states={
        "consent": State(ask=ask_consent, on_answer=on_consent),
        ...
    })

``ask`` renders the pending question again (after help, a language switch or an
answer that did not fit); ``on_answer`` takes the person's answer and returns a
``Step``. Neither may raise on odd input: a poor answer is a reply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from conversations.types import Context, Inbound, InboundKind, Option, Reply, Session, Step

Ask = Callable[[Session, Context], tuple[Reply, ...]]
OnAnswer = Callable[[Session, Inbound, Context], Step]
Start = Callable[[Session, Context], Step]


@dataclass(frozen=True)
class State:
    ask: Ask
    on_answer: OnAnswer
    remind: Ask | None = None
    """A shorter form of the question for asking again (e.g. after a long notice); ``ask`` when None."""


@dataclass(frozen=True)
class Flow:
    name: str
    start: Start
    states: Mapping[str, State]


def ask_again(session: Session, ctx: Context, flows: Mapping[str, Flow], *, short: bool = True) -> tuple[Reply, ...]:
    """The pending question of ``session`` once more (its short form when it has one), or nothing."""
    flow = flows.get(session.flow)
    state = flow.states.get(session.state) if flow else None
    if state is None:
        return ()
    ask = state.remind if short and state.remind else state.ask
    return ask(session, ctx)


def not_understood(inbound: Inbound, ctx: Context, *, has_options: bool = True) -> Reply:
    """A short, kind explanation of why this answer did not fit, by what was sent and what was asked."""
    if inbound.kind in (InboundKind.PHOTO, InboundKind.VOICE):
        return Reply(ctx.t("Terima kasih, kiriman Anda tersimpan. Tapi di sini kami perlu jawaban tulisan atau nomor pilihan."))
    if inbound.kind in (InboundKind.LOCATION, InboundKind.CONTACT):
        return Reply(ctx.t("Terima kasih, sudah kami simpan. Tapi di sini kami perlu jawaban tulisan atau nomor pilihan."))
    if not has_options:
        return Reply(ctx.t("Maaf, jawaban itu belum kami mengerti. Silakan tulis lagi seperti contohnya."))
    return Reply(ctx.t("Maaf, jawaban itu belum kami mengerti. Balas dengan nomor pilihan."))


def reprompt(session: Session, inbound: Inbound, ctx: Context, ask: Ask) -> Step:
    """Keep the state, say why the answer did not fit, and ask the same question again."""
    question = ask(session, ctx)
    has_options = any(reply.options for reply in question)
    return Step(session, (not_understood(inbound, ctx, has_options=has_options), *question))


SAVE_WORDS = ("simpan", "save")


def save_options(ctx: Context) -> tuple[Option, ...]:
    """The last question of a form: ``confirm:save`` (1 Simpan) or ``confirm:cancel`` (2 Batal)."""
    return (
        Option("confirm:save", ctx.t("Simpan"), SAVE_WORDS, means=("yes", "done")),
        Option("confirm:cancel", ctx.t("Batal"), ("batalkan", "tidak jadi"), means=("no",)),
    )
