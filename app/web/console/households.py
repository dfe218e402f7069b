"""Console pages: the household list of an office (search), and uploading a list (CSV/XLSX) with its result.

The upload route reads its own multipart body after a ``Content-Length`` check, so a file over the limit is refused
before it is read, and reads it before the request's database transaction opens, so a slow upload holds no lock.
Its CSRF token is checked by hand for the same reason (a ``Form`` parameter would make the framework read the
whole body first, unchecked).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from app import audit
from app.console import household_uploads as uploads
from app.console import signin
from app.console.households import search_households
from app.console.import_reasons import in_words, most_common
from app.console.scope import runs_office
from app.households.importer import COLUMNS, REQUIRED
from app.households.programs import label as programme_label
from app.web.console.deps import FormRefused, Viewer, current_viewer, database, now
from app.web.console.pages import not_found, render

router = APIRouter()
FORM_OVERHEAD = 64 * 1024
"""Room for the multipart framing and the other fields beside the file, when comparing ``Content-Length``."""


@router.get("/console/rumah-tangga")
def households(request: Request, viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)) -> Response:
    if not runs_office(viewer.person):
        return render(request, "console/households/office_only.html", viewer=viewer, status=403)
    query = request.query_params.get("q", "")
    found = search_households(db, viewer.person, query, page=_page(request), now=now(request))
    return render(request, "console/households/list.html", viewer=viewer, found=found, query=found.search.text,
                  programme_label=programme_label)  # fmt: skip


@router.get("/console/rumah-tangga/impor")
def upload_form(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    if not runs_office(viewer.person):
        return render(request, "console/households/office_only.html", viewer=viewer, status=403)
    return _upload_page(request, viewer)


async def _posted_form(request: Request) -> AsyncIterator[FormData | None]:
    """The upload's form, or ``None`` when its declared size is over the limit (the body is then left unread).

    Its spooled file is closed once the request is done, whichever way it went.
    """
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > uploads.MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        yield None
        return
    form = await request.form(max_files=1, max_fields=10)
    try:
        yield form
    finally:
        await form.close()


@router.post("/console/rumah-tangga/impor")
def upload(
    request: Request,
    form: FormData | None = Depends(_posted_form),  # first: the body is read before the transaction opens
    viewer: Viewer = Depends(current_viewer),
    db: Session = Depends(database),
) -> Response:
    if form is None:
        return _upload_page(request, viewer, uploads.too_large(uploads.MAX_UPLOAD_BYTES))
    csrf = form.get("csrf")
    if not signin.csrf_matches(viewer.session, csrf if isinstance(csrf, str) else ""):
        raise FormRefused
    if not runs_office(viewer.person):
        return render(request, "console/households/office_only.html", viewer=viewer, status=403)
    chosen = form.get("file")
    if not isinstance(chosen, UploadFile) or not chosen.filename:
        return _upload_page(request, viewer, uploads.no_file())
    moment = now(request)
    settings = request.app.state.settings
    try:
        done = uploads.import_upload(
            db, settings.media_dir, person=viewer.person, source=chosen.file, file_name=chosen.filename,
            secret_key=settings.identifier_hash_key, now=moment, day=moment.astimezone(ZoneInfo(viewer.timezone)).date().isoformat(),
        )  # fmt: skip
    except uploads.UploadRefused as refused:
        return _upload_page(request, viewer, refused)
    return RedirectResponse(f"/console/rumah-tangga/impor/{done.token}", status_code=303)


@router.get("/console/rumah-tangga/impor/{token}")
def upload_result(token: str, request: Request, viewer: Viewer = Depends(current_viewer),
                  db: Session = Depends(database)) -> Response:  # fmt: skip
    done = _visible_upload(request, viewer, db, token)
    if done is None:
        return not_found(request, viewer)
    reasons = [reason for rejected in done.rejections for reason in rejected.reasons]
    rows = [(rejected.line, [in_words(r, viewer.t) for r in rejected.reasons]) for rejected in done.rejections[:50]]
    warned = [(warned.line, [in_words(r, viewer.t) for r in warned.reasons]) for warned in done.warnings[:50]]
    programmes = [(programme_label(code), count) for code, count in done.programmes.items()]
    return render(
        request, "console/households/upload_result.html", viewer=viewer, done=done, summary=most_common(reasons, viewer.t),
        rows=rows, has_file=uploads.rejected_file(request.app.state.settings.media_dir, done) is not None,
        upload_day=date.fromisoformat(done.day), programmes=programmes, warned=warned,
    )  # fmt: skip


@router.get("/console/rumah-tangga/impor/{token}/ditolak.csv")
def rejected_rows(token: str, request: Request, viewer: Viewer = Depends(current_viewer),
                  db: Session = Depends(database)) -> Response:  # fmt: skip
    done = _visible_upload(request, viewer, db, token)
    path = uploads.rejected_file(request.app.state.settings.media_dir, done) if done else None
    if done is None or path is None:
        return not_found(request, viewer)
    audit.record(db, actor_id=viewer.person.id, action="household_rejections_downloaded", subject_type="file",
                 subject_id=f"upload:{token}", now=now(request), rows=done.rejected)  # fmt: skip
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=done.download_name,
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})  # fmt: skip


def _visible_upload(request: Request, viewer: Viewer, db: Session, token: str) -> uploads.Upload | None:
    """The upload when the viewer may see it; a refusal of an existing one is audited (the answer is the same 404)."""
    moment = now(request)
    done = uploads.find_upload(request.app.state.settings.media_dir, token, moment)
    if done is not None and not uploads.may_see(viewer.person, done):
        audit.record(db, actor_id=viewer.person.id, action="household_upload_access_denied", subject_type="file",
                     subject_id=f"upload:{token}", now=moment)  # fmt: skip
        return None
    return done


def _upload_page(request: Request, viewer: Viewer, refused: uploads.UploadRefused | None = None) -> Response:
    """The upload form, with what went wrong (and its status) when a file was refused."""
    limit = uploads.MAX_UPLOAD_BYTES
    return render(
        request, "console/households/upload.html", viewer=viewer, error=_words(viewer, refused) if refused else "",
        columns=COLUMNS, required=REQUIRED, max_bytes=limit, limit=uploads.megabytes(limit),
        too_large=_words(viewer, uploads.too_large(limit)), status=refused.status if refused else 200,
    )  # fmt: skip


def _words(viewer: Viewer, refused: uploads.UploadRefused) -> str:
    return viewer.t(refused.message, **refused.params)


def _page(request: Request) -> int:
    raw = request.query_params.get("hal", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1
