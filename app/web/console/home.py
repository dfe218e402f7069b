"""The console's first page: what needs attention in the viewer's areas."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.console.cases import overdue_before
from app.console.scope import in_scope
from app.models import Area, Case
from app.models.cases import OPEN_STATUSES
from app.web.console.deps import Viewer, current_viewer, database, now
from app.web.console.pages import render

router = APIRouter()


@router.get("/console")
def home(request: Request, viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)) -> Response:
    open_cases = select(func.count()).select_from(Case).where(Case.status.in_(OPEN_STATUSES), in_scope(Case.area_code, viewer.person))
    counts = {
        "open": db.scalar(open_cases) or 0,
        "unassigned": db.scalar(open_cases.where(Case.assignee_person_id.is_(None))) or 0,
        "overdue": db.scalar(open_cases.where(Case.follow_up_at < overdue_before(now(request), viewer.timezone))) or 0,
    }
    codes = sorted({role.area_code for role in viewer.person.roles})
    names = dict(db.execute(select(Area.code, Area.name).where(Area.code.in_(codes))).all())
    roles = [(role.role, names.get(role.area_code, role.area_code)) for role in viewer.person.roles]
    return render(request, "console/home.html", viewer=viewer, counts=counts, roles=roles)
