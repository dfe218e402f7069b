"""A household checks its reports: ``STATUS`` / ``CEK`` / the menu, or a ticket code typed anywhere at rest.

A ticket code that does not exist and one that belongs to someone else get the
same answer, so nobody can learn whether someone else's report exists.
"""

from __future__ import annotations

import re

from conversations.effects import CountWrongCode
from conversations.flow import Flow
from conversations.flows.report_questions import status_line
from conversations.types import Context, Reply, Session, Step, Translate

REFERENCE = re.compile(r"\bKB[-\s]?([2-9A-HJ-NP-Z]{5})\b", re.IGNORECASE)
SHOWN = 5


def find_reference(text: str) -> str | None:
    """``"cek kb-7q4k2 dong"`` → ``"KB-7Q4K2"``."""
    found = REFERENCE.search(text)
    return f"KB-{found.group(1).upper()}" if found else None


def start(session: Session, ctx: Context) -> Step:
    """Lists the person's reports, open ones first."""
    cases = sorted(ctx.person.cases, key=lambda c: not c.is_open)[:SHOWN]
    if not cases:
        none = Reply(ctx.t("Anda belum punya laporan. Pilih 1 di menu untuk melapor."))
        return Step(session.idle(), (none,), start_flow="menu")
    lines = [ctx.t("Laporan Anda:")]
    lines += [status_line(c.reference, c.category, c.status, c.procedure_step, ctx.t) for c in cases]
    return Step(session.idle(), (Reply("\n".join(lines)),), start_flow="menu")


def paused_notice(t: Translate, until: str) -> str:
    """Too many wrong codes: nothing is checked until ``until`` ("10:30 WIB"). The shell says it too."""
    return t("Kode yang Anda kirim sudah terlalu sering salah. Demi keamanan, kode baru bisa dicoba lagi pukul {time}.", time=until)


def show(session: Session, ctx: Context, reference: str) -> Step:
    """One report by its code, if it is the person's; a code that is not counts as a wrong guess."""
    if ctx.codes_paused_until:
        return Step(session.idle(), (Reply(paused_notice(ctx.t, ctx.codes_paused_until)),))
    for case in ctx.person.cases:
        if case.reference == reference:
            line = status_line(case.reference, case.category, case.status, case.procedure_step, ctx.t)
            return Step(session.idle(), (Reply(line),), start_flow="menu")
    unknown = Reply(ctx.t("Nomor laporan {reference} tidak ditemukan di laporan Anda. Periksa lagi nomornya.", reference=reference))
    return Step(session.idle(), (unknown,), (CountWrongCode(reference),), start_flow="menu")


FLOW = Flow("status", start=start, states={})
