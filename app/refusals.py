"""Writes refused in the service layer: the target lies outside the actor's area, or the role is not theirs.

The engine only offers what a person may do, but a phone number typed in chat, a stale case code or a form
field can still name another area's household, case, meeting or village. Each service checks the actor's
area against the target's before it writes and raises ``Refused``; whoever called it (the pipeline for the
chat, a console page) rolls the write back, audits it with ``record_refusal`` (one ``write_refused`` row:
what was attempted, the target's area, the actor's areas) and answers with ``refused.reason``, an Indonesian
message id the caller translates.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app import audit
from app.cases.access import area_contains
from app.models import Person

N_ = str
AUDIT_ACTION = "write_refused"

HOUSEHOLD_OUTSIDE = N_("Rumah tangga ini di luar wilayah Anda, jadi laporannya tidak kami kirim. "
                       "Anda hanya bisa melapor untuk warga di wilayah tugas Anda.")  # fmt: skip
CASE_OUTSIDE = N_("Kasus ini di luar wilayah Anda, jadi tidak kami ubah.")
MEETING_OUTSIDE = N_("Jadwal ini di luar wilayah Anda, jadi tidak kami simpan.")
GROUP_OUTSIDE = N_("Desa ini di luar wilayah Anda, jadi kelompoknya tidak kami ubah.")
VISIT_OUTSIDE = N_("Desa ini di luar wilayah Anda, jadi kunjungannya tidak kami catat.")
INVITATION_NOT_YOURS = N_("Anda tidak bisa membuat undangan untuk peran atau wilayah itu.")


class Refused(Exception):
    """A write the actor may not make: ``Refused(CASE_OUTSIDE, attempted="case_note", area_code="35.17.18.2001",
    subject_type="case", subject_id="KB-7Q4K2")``. Nothing of it may be kept; ``reason`` is what the person is told."""

    def __init__(
        self, reason: str, *, attempted: str, area_code: str, subject_type: str = "area", subject_id: str | int = ""
    ) -> None:
        super().__init__(f"{attempted} refused in {area_code or '-'}")
        self.reason = reason
        self.attempted = attempted
        self.area_code = area_code
        self.subject_type = subject_type
        self.subject_id = str(subject_id or area_code)


def covers(person: Person, area_code: str, *, roles: tuple[str, ...] = ()) -> bool:
    """One of the person's roles (of ``roles``, when given) is for ``area_code`` or an area containing it."""
    return bool(area_code) and any(
        (not roles or role.role in roles) and area_contains(role.area_code, area_code) for role in person.roles
    )


def record_refusal(db: Session, *, actor: Person, refused: Refused, now: datetime) -> None:
    """The refusal's one audit row, written after its write was rolled back (so the row stays)."""
    audit.record(
        db, actor_id=actor.id, action=AUDIT_ACTION, subject_type=refused.subject_type, subject_id=refused.subject_id,
        now=now, attempted=refused.attempted, area_code=refused.area_code,
        actor_areas=sorted({role.area_code for role in actor.roles}),
    )  # fmt: skip
