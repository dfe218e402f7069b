"""Console pages: the people working the viewer's areas, and invitations (create, show with a QR code, revoke)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.console import people as service
from app.console.scope import runs_office
from app.invitations.service import revoke_invitation
from app.models.people import ROLES
from app.web.console.deps import Viewer, current_viewer, database, now, posting_viewer
from app.web.console.pages import not_found, render

router = APIRouter()


@router.get("/console/orang")
def people(request: Request, viewer: Viewer = Depends(current_viewer), db: Session = Depends(database)) -> Response:
    moment = now(request)
    role = request.query_params.get("peran", "")
    role = role if role in ROLES else ""
    listed = service.people_of(db, viewer.person, page=_page(request), role=role, now=moment)
    office = runs_office(viewer.person)
    context: dict[str, Any] = {}
    if office:
        context = {
            "roles": service.invitable_roles(viewer.person),
            "places": service.invitation_places(db, viewer.person, kecamatan=request.query_params.get("kecamatan", "")),
            "invitations": service.open_invitations(db, viewer.person, now=moment),
        }
    return render(
        request, "console/people/list.html", viewer=viewer, listed=listed, office=office, role=role, all_roles=ROLES,
        local_date=lambda moment: moment.astimezone(ZoneInfo(viewer.timezone)).date(),
        ok=request.query_params.get("ok", ""), refused=service.REFUSALS.get(request.query_params.get("galat", ""), ""),
        **context,
    )  # fmt: skip


@router.post("/console/orang/undangan")
def create(
    request: Request,
    viewer: Viewer = Depends(posting_viewer),
    db: Session = Depends(database),
    role: str = Form("", alias="peran"),
    area_code: str = Form("", alias="wilayah"),
) -> Response:
    try:
        invitation = service.invite(db, viewer.person, role=role.strip(), area_code=area_code.strip(), now=now(request))
    except service.InvitationRefused as refused:
        if refused.outside:
            return not_found(request, viewer)
        return RedirectResponse(f"/console/orang?galat={refused.key}#undang", status_code=303)
    return RedirectResponse(f"/console/orang/undangan/{invitation.id}?ok=dibuat", status_code=303)


@router.get("/console/orang/undangan/{invitation_id}")
def invitation(invitation_id: int, request: Request, viewer: Viewer = Depends(current_viewer),
               db: Session = Depends(database)) -> Response:  # fmt: skip
    moment = now(request)
    found = service.invitation_of(db, viewer.person, invitation_id, now=moment)
    if found is None:
        return not_found(request, viewer)
    state = service.status_of(found, moment)
    links = service.join_links(request.app.state.settings, found.code) if state == "open" else None
    return render(
        request, "console/people/invitation.html", viewer=viewer, invitation=found, state=state, links=links,
        area_name=service.area_name(db, found.area_code), created=request.query_params.get("ok") == "dibuat",
    )  # fmt: skip


@router.post("/console/orang/undangan/{invitation_id}/cabut")
def revoke(invitation_id: int, request: Request, viewer: Viewer = Depends(posting_viewer),
           db: Session = Depends(database)) -> Response:  # fmt: skip
    moment = now(request)
    found = service.invitation_of(db, viewer.person, invitation_id, now=moment)
    if found is None:
        return not_found(request, viewer)
    revoke_invitation(db, found, by=viewer.person, now=moment)
    return RedirectResponse("/console/orang?ok=dicabut#undangan", status_code=303)


def _page(request: Request) -> int:
    raw = request.query_params.get("hal", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1
