"""``GET /media/<file>?expires=…&signature=…``: a stored chart or workbook, for whoever holds a valid signed link
(Twilio fetching a WhatsApp attachment). Anything else is 404, whatever the reason, so nothing can be probed.

``GET /media/<file>/<name>?…`` is the same file under a name that says what it is (signed with the link), which the
recipient's phone keeps when it saves the file."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from app.media_links import ref_of

router = APIRouter()


@router.get("/media/{name}", include_in_schema=False)
def media(name: str, request: Request, expires: str = "", signature: str = "") -> FileResponse:
    return _signed_file(request, name, "", expires, signature)


@router.get("/media/{name}/{filename}", include_in_schema=False)
def named_media(name: str, filename: str, request: Request, expires: str = "", signature: str = "") -> FileResponse:
    return _signed_file(request, name, filename, expires, signature)


def _signed_file(request: Request, name: str, filename: str, expires: str, signature: str) -> FileResponse:
    channels = request.app.state.channels
    ref = ref_of(name)
    links = channels.media_links
    now = request.app.state.clock.now()
    if ref is None or links is None or not _well_formed(expires, signature):
        raise HTTPException(status_code=404)
    if not links.verify(name, int(expires), signature, now=now, filename=filename):
        raise HTTPException(status_code=404)
    path = channels.media.path_of(ref)
    if not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type=ref.mime_type, filename=filename or name)


def _well_formed(expires: str, signature: str) -> bool:
    """Digits and an ASCII signature: anything else (``expires=soon``, ``signature=ü``) is simply not a valid link."""
    return expires.isascii() and expires.isdigit() and len(expires) <= 12 and signature.isascii()
