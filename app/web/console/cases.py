"""Console pages: the case list (``/console/kasus``), one case (``/console/kasus/<code>``), its photos and voice
notes, and the forms that work it. The handlers only read the request and render; what a person may see and
do, and what is recorded, lives in ``app/console/cases.py``, ``case_page.py`` and ``case_actions.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.console.case_actions import ACTIONS, NOTE_CHARS, STATUSES, act
from app.console.case_page import case_page, local_when, media_file, normalized, note_text, shown
from app.console.cases import (
    ALL,
    NOBODY,
    OPEN,
    OVERDUE,
    UNASSIGNED,
    assignee_choices,
    category_choices,
    category_label,
    list_cases,
    read_filters,
    village_choices,
)  # fmt: skip
from app.models.cases import CASE_STATUSES, KKS_STEPS
from app.schedules.local_time import local_day
from app.web.console.deps import Viewer, current_viewer, database, now, posting_viewer
from app.web.console.pages import SECURITY_HEADERS, not_found, render
from conversations.flows.cases import FILED
from conversations.flows.new_case import PARTNERS, SOURCE_LABELS
from conversations.flows.report_questions import STATUS_LABELS, STEP_LABELS, answer_lines
from conversations.flows.status import REFERENCE
from conversations.roles import SHORT_ROLE_NAMES
from conversations.types import Translate

router = APIRouter()
N_ = str
NOTICES = {
    "ambil": N_("Kasus ini sekarang Anda yang menangani."),
    "catatan": N_("Catatan tersimpan."),
    "status": N_("Status tersimpan."),
    "langkah": N_("Langkah KKS tersimpan."),
    "tindak-lanjut": N_("Tanggal tindak lanjut tersimpan."),
    "serahkan": N_("Kasus sudah diserahkan. Yang menerima diberi tahu lewat chat."),
    "biaya": N_("Biaya tersimpan."),
}
"""The confirmation shown after each action (``?ok=<action>``)."""
HOUSEHOLD_TOLD = N_("Keluarga mendapat kabarnya lewat chat.")
TOLD_ACTIONS = ("ambil", "status", "langkah")
"""Actions that change the status or the KKS step: the household that reported hears of them in chat."""


def _translators(request: Request) -> Mapping[str, Translate]:
    return request.app.state.pipeline.runtime.translators


@router.get("/console/kasus")
def case_list(request: Request, viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)) -> Response:
    filters, errors = read_filters(request.query_params)
    listing = list_cases(db, viewer.person, filters, now=now(request), timezone=viewer.timezone)
    handed = normalized(request.query_params.get("diserahkan", ""))
    return render(
        request, "console/cases/list.html", viewer=viewer, listing=listing, filters=listing.filters, errors=errors,
        handed=handed if REFERENCE.fullmatch(handed) else "",
        categories=category_choices(viewer.t), villages=village_choices(db, viewer.person),
        assignees=assignee_choices(db, viewer.person), category_label=lambda code: category_label(code, viewer.t),
        statuses=CASE_STATUSES, status_labels=STATUS_LABELS, step_labels=STEP_LABELS,
        OPEN=OPEN, ALL=ALL, OVERDUE=OVERDUE, UNASSIGNED=UNASSIGNED, NOBODY=NOBODY,
    )  # fmt: skip


@router.get("/console/kasus/{reference}")
def case_view(
    request: Request, reference: str, viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)
) -> Response:
    return _case_page(request, viewer, db, normalized(reference), done=request.query_params.get("ok", ""))


@router.get("/console/kasus/{reference}/media/{name}")
def case_media(
    request: Request, reference: str, name: str, unduh: str = "", viewer: Viewer = Depends(current_viewer),
    db: Session = Depends(database),
) -> Response:
    """A photo or voice note of the case, for someone who may see the case (never cached: it is personal)."""
    reference = normalized(reference)
    found = media_file(db, viewer.person, reference, name, store=request.app.state.channels.media, now=now(request))
    if found is None:
        return not_found(request, viewer)
    path, mime_type = found
    response = FileResponse(path, media_type=mime_type, filename=f"{reference}-{name}",
                            content_disposition_type="attachment" if unduh else "inline")  # fmt: skip
    response.headers.update(SECURITY_HEADERS)
    return response


@router.post("/console/kasus/{reference}/{action}")
def case_action(
    request: Request, reference: str, action: str, viewer: Viewer = Depends(posting_viewer),
    db: Session = Depends(database), catatan: str = Form(""), status: str = Form(""), persetujuan: str = Form(""),
    langkah: str = Form(""), tanggal: str = Form(""), petugas: str = Form(""), jumlah: str = Form(""),
    untuk: str = Form(""),
) -> Response:
    """One of the case's actions (``ACTIONS``); a form that does not pass comes back with what was typed."""
    reference = normalized(reference)
    form = {"catatan": catatan, "status": status, "persetujuan": persetujuan, "langkah": langkah, "tanggal": tanggal,
            "petugas": petugas, "jumlah": jumlah, "untuk": untuk}  # fmt: skip
    outcome = act(db, viewer.person, reference, action, form, now=now(request), timezone=viewer.timezone,
                  translators=_translators(request))  # fmt: skip
    if outcome.refused:
        return not_found(request, viewer)
    if outcome.errors:
        return _case_page(request, viewer, db, reference, errors=outcome.errors, typed=form, form=action, status=422)
    if not outcome.still_visible:
        return RedirectResponse("/console/kasus?diserahkan=" + reference, status_code=303)
    return RedirectResponse(f"/console/kasus/{reference}?ok={action}#hasil", status_code=303)


def _case_page(
    request: Request, viewer: Viewer, db: Session, reference: str, *, done: str = "", errors: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None, form: str = "", status: int = 200,
) -> Response:
    page = case_page(db, viewer.person, reference, now=now(request), media=request.app.state.channels.media,
                     translators=_translators(request))  # fmt: skip
    if page is None:
        return not_found(request, viewer)
    view, t = page.view, viewer.t
    notice = ""
    if done in NOTICES and not errors:
        notice = t(NOTICES[done]) + (" " + t(HOUSEHOLD_TOLD) if done in TOLD_ACTIONS and view.filed_as != "companion" else "")
    context: dict[str, Any] = {
        "page": page, "v": view, "notice": notice, "errors": errors or {}, "typed": typed or {}, "form": form,
        "category": category_label(view.category, t),
        "answers": answer_lines({k: value for k, value in view.answers.items() if k != "message"}, t),
        "message": shown(view.answers.get("message", ""), t),
        "filed": t(FILED[view.filed_as], name=view.filed_by or "-", when=local_when(view.opened_at, viewer.locale))
        if view.filed_as in FILED else "",
        "source": t(SOURCE_LABELS[view.source]) if view.source in SOURCE_LABELS else "",
        "partners": [t(label) for code, label, _words in PARTNERS if code in view.partners],
        "follow_up": date.fromisoformat(view.follow_up) if view.follow_up else None,
        "today": local_day(now(request), viewer.timezone).isoformat(),
        "local_when": lambda moment: local_when(moment, viewer.locale),
        "note_text": lambda note: note_text(note, t, viewer.locale), "shown": lambda words: shown(words, t),
        "status_labels": STATUS_LABELS, "step_labels": STEP_LABELS, "statuses": STATUSES, "steps": KKS_STEPS,
        "role_names": SHORT_ROLE_NAMES, "note_chars": NOTE_CHARS, "actions": ACTIONS,
    }  # fmt: skip
    return render(request, "console/cases/case.html", viewer=viewer, status=status, **context)
