"""Console pages: the weekly digests (text, chart, workbook) and case exports, under ``/console/ringkasan``.

Each area is checked against the viewer's reading areas (``app.console.digests.reads``) before anything is built;
outside them the answer is the console's 404, and the refusal is audited. Reading a digest (it names households)
and every download are audited too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app import audit
from app.console import digests
from app.digest.chart import chart_description, chart_png
from app.digest.export import cases_xlsx
from app.digest.figures import is_partial
from app.digest.file_names import cases_file_name, digest_file_name
from app.digest.render import digest_text, heading
from app.digest.workbook import XLSX_MIME
from app.models import Area
from app.web.console.deps import Viewer, current_viewer, database, now, posting_viewer
from app.web.console.pages import SECURITY_HEADERS, not_found, render

router = APIRouter()
LIST = "/console/ringkasan"


@router.get(LIST)
def digest_list(request: Request, wilayah: str = "", viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)) -> Response:
    if wilayah and not digests.reads(viewer.person, wilayah):
        return _refused(request, viewer, db, wilayah, "digest_access_denied")
    if wilayah and db.get(Area, wilayah) is None:
        return not_found(request, viewer)
    return _list_page(request, viewer, db, chosen=wilayah, form=digests.default_export(db, viewer.person, now(request)))


@router.get(LIST + "/{area_code}/{week}")
def digest_page(area_code: str, week: str, request: Request, viewer: Viewer = Depends(current_viewer),
                db: Session = Depends(database)) -> Response:  # fmt: skip
    figures = _figures(request, viewer, db, area_code, week)
    if isinstance(figures, Response):
        return figures
    t, locale = viewer.t, viewer.locale
    audit.record(db, actor_id=viewer.person.id, action="digest_viewed", subject_type="area", subject_id=area_code,
                 now=now(request), week=figures["week"])  # fmt: skip
    return render(
        request, "console/digests/week.html", viewer=viewer, figures=figures, title=heading(figures, t, locale),
        blocks=digests.text_blocks(digest_text(figures, t, locale), t), partial=is_partial(figures),
        chart_alt=chart_description(figures, t, locale), chart_rows=digests.chart_rows(figures),
        base=f"{LIST}/{area_code}/{figures['week']}", workbook_name=digest_file_name(figures, ".xlsx"),
        chart_name=digest_file_name(figures, ".png"),
    )  # fmt: skip


@router.get(LIST + "/{area_code}/{week}/grafik.png")
def digest_chart(area_code: str, week: str, request: Request, viewer: Viewer = Depends(current_viewer),
                 db: Session = Depends(database)) -> Response:  # fmt: skip
    figures = _figures(request, viewer, db, area_code, week)
    if isinstance(figures, Response):
        return figures
    return _file(chart_png(figures, viewer.t, viewer.locale), "image/png", digest_file_name(figures, ".png"), "inline")


@router.get(LIST + "/{area_code}/{week}/lembar-kerja.xlsx")
def digest_workbook(area_code: str, week: str, request: Request, viewer: Viewer = Depends(current_viewer),
                    db: Session = Depends(database)) -> Response:  # fmt: skip
    figures = _figures(request, viewer, db, area_code, week)
    if isinstance(figures, Response):
        return figures
    audit.record(db, actor_id=viewer.person.id, action="digest_workbook_downloaded", subject_type="area",
                 subject_id=area_code, now=now(request), week=figures["week"])  # fmt: skip
    content = digests.digest_workbook(db, figures, viewer.t, viewer.locale)
    return _file(content, XLSX_MIME, digest_file_name(figures, ".xlsx"), "attachment")


@router.post(LIST + "/ekspor")
def export_cases(
    request: Request, wilayah: str = Form(""), dari: str = Form(""), sampai: str = Form(""),
    viewer: Viewer = Depends(posting_viewer), db: Session = Depends(database),
) -> Response:  # fmt: skip
    form = digests.ExportForm(wilayah.strip(), dari.strip(), sampai.strip())
    if not digests.reads(viewer.person, form.area):
        return _refused(request, viewer, db, form.area, "cases_export_access_denied")
    if db.get(Area, form.area) is None:
        return not_found(request, viewer)
    period = digests.export_period(form, viewer.t)
    if isinstance(period, str):
        return _list_page(request, viewer, db, chosen="", form=form, error=period, status=400)
    first, last = period
    content, count = cases_xlsx(db, area_code=form.area, first=first, last=last, t=viewer.t, now=now(request))
    audit.record(db, actor_id=viewer.person.id, action="cases_exported", subject_type="area", subject_id=form.area,
                 now=now(request), first=first.isoformat(), last=last.isoformat(), count=count)  # fmt: skip
    return _file(content, XLSX_MIME, cases_file_name(form.area, first, last), "attachment")


def _list_page(request: Request, viewer: Viewer, db: Session, *, chosen: str, form: digests.ExportForm,
               error: str = "", status: int = 200) -> Response:  # fmt: skip
    areas = digests.digest_list(db, viewer.person, now=now(request), area_codes=[chosen] if chosen else None)
    return render(request, "console/digests/list.html", viewer=viewer, areas=areas, chosen=chosen, form=form,
                  choices=digests.area_choices(db, viewer.person), error=error, status=status)  # fmt: skip


def _figures(request: Request, viewer: Viewer, db: Session, area_code: str, week: str) -> dict[str, Any] | Response:
    """The week's figures, or the console's 404 (audited when the area is not the viewer's)."""
    if not digests.reads(viewer.person, area_code):
        return _refused(request, viewer, db, area_code, "digest_access_denied")
    figures = digests.week_figures(db, area_code=area_code, week_label=week, now=now(request))
    return figures if figures is not None else not_found(request, viewer)


def _refused(request: Request, viewer: Viewer, db: Session, area_code: str, action: str) -> Response:
    audit.record(db, actor_id=viewer.person.id, action=action, subject_type="area", subject_id=area_code[:32],
                 now=now(request), path=request.url.path)  # fmt: skip
    return not_found(request, viewer)


def _file(content: bytes, media_type: str, filename: str, disposition: str) -> Response:
    """A file built for this viewer: never cached, named for what it is."""
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'{disposition}; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)
