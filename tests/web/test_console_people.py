"""People and invitations in the console: who works the area, and codes made, shown, used in chat and revoked."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry, Invitation, Person, RoleAssignment
from tests.web.console import ADMIN_KOTA, BU_RINA, BU_YUNI, PAK_ASEP, PAK_HENDRA, csrf_of, demo_client, say, sign_in

NEWCOMER = "+6281377770001"


def audit_actions(settings) -> list[str]:  # type: ignore[no-untyped-def]
    database = Database(settings)
    with database.transaction() as db:
        actions = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    database.dispose()
    return actions


def roles_of(settings, phone: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    database = Database(settings)
    with database.transaction() as db:
        rows = db.execute(select(RoleAssignment.role, RoleAssignment.area_code).join(Person).where(Person.phone == phone))
        found = [(role, area) for role, area in rows]
    database.dispose()
    return found


def create(client, role: str, area: str):  # type: ignore[no-untyped-def]
    csrf = csrf_of(client.get("/console/orang").text)
    return client.post("/console/orang/undangan", data={"csrf": csrf, "peran": role, "wilayah": area}, follow_redirects=False)


def test_people_of_the_area_with_phones_for_the_office_only(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        page = client.get("/console/orang")
        assert page.status_code == 200
        assert "Pak Asep" in page.text and "PSM (Pekerja Sosial Masyarakat)" in page.text
        assert 'href="tel:+6281300000001"' in page.text  # Pak Asep's phone, to call
        assert "Admin Kota" in page.text and "Kota Bandung" in page.text  # the admin over Pasteur
        assert "Bu Lina" not in page.text and "Bu Rina" not in page.text  # another kelurahan, another regency
        assert "Undang pendamping atau operator" in page.text

        client.cookies.clear()
        sign_in(client, PAK_ASEP)
        companion = client.get("/console/orang")
        assert "Pak Hendra" in companion.text and "Operator kelurahan" in companion.text
        assert "tel:" not in companion.text and "+628130000000" not in companion.text  # no phones for a companion
        assert "Undang pendamping" not in companion.text and 'action="/console/orang/undangan"' not in companion.text

        client.cookies.clear()
        sign_in(client, BU_RINA)
        jombang = client.get("/console/orang", params={"peran": "operator"}).text.split('<main id="isi"')[1]
        assert "Bu Yuni" in jombang and "Pak Hendra" not in jombang and "Bu Rina" not in jombang
    assert audit_actions(settings).count("people_listed") == 3


def test_an_invitation_made_in_the_console_works_in_chat_once(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        made = create(client, "psm", "32.73.07.1001")
        assert made.status_code == 303 and made.headers["location"].startswith("/console/orang/undangan/")
        page = client.get(made.headers["location"])
        assert page.status_code == 200 and "Undangan dibuat" in page.text
        code = re.search(r'<p class="invite-code"><span class="code">([A-Z0-9]{8})</span>', page.text).group(1)
        assert f"DAFTAR {code}" in page.text
        assert re.search(r'<img class="qr" src="data:image/svg\+xml[^"]+" alt="Kode QR untuk bergabung: DAFTAR ' + code, page.text)
        assert "t.me/" not in page.text and "wa.me/" not in page.text  # no bot username, no WhatsApp number set
        assert code in client.get("/console/orang").text  # listed as open

        replies = say(client, NEWCOMER, f"DAFTAR {code}")
        assert "Selamat bergabung" in str(replies)
        assert roles_of(settings, NEWCOMER) == [("psm", "32.73.07.1001")]
        used = client.get(made.headers["location"])
        assert "sudah dipakai" in used.text and "<img" not in used.text
        assert code not in client.get("/console/orang").text.split('id="undangan"')[1]
    database = Database(settings)
    with database.transaction() as db:
        created = db.scalar(select(AuditEntry).where(AuditEntry.action == "invitation_created"))
        hendra = db.scalar(select(Person.id).where(Person.phone == PAK_HENDRA))
    database.dispose()
    assert created is not None and created.actor_person_id == hendra and created.details["area_code"] == "32.73.07.1001"


def test_links_and_qr_code_when_the_channels_are_configured(settings) -> None:  # type: ignore[no-untyped-def]
    configured = settings.model_copy(update={"telegram_bot_username": "kawal_bansos_bot",
                                             "twilio_whatsapp_from": "whatsapp:+14155238886"})  # fmt: skip
    with demo_client(configured) as client:
        sign_in(client, PAK_HENDRA)
        page = client.get(create(client, "pkh", "32.73.07.1001").headers["location"]).text
        code = re.search(r'<span class="code">([A-Z0-9]{8})</span>', page).group(1)
        assert f'href="https://t.me/kawal_bansos_bot?start={code}"' in page
        assert f'href="https://wa.me/14155238886?text=DAFTAR%20{code}"' in page
        assert f'alt="Kode QR untuk bergabung: https://t.me/kawal_bansos_bot?start={code}"' in page


def test_a_revoked_code_is_refused_in_chat(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        detail = create(client, "operator", "32.73.07.1001").headers["location"]
        invitation_id = detail.split("?")[0].rsplit("/", 1)[1]
        code = re.search(r'<span class="code">([A-Z0-9]{8})</span>', client.get(detail).text).group(1)
        listed = client.get("/console/orang")
        assert f"/console/orang/undangan/{invitation_id}/cabut" in listed.text
        revoked = client.post(f"/console/orang/undangan/{invitation_id}/cabut", data={"csrf": csrf_of(listed.text)},
                              follow_redirects=False)  # fmt: skip
        assert revoked.status_code == 303
        after = client.get(revoked.headers["location"])
        assert "Undangan dicabut" in after.text and code not in after.text
        assert "sudah dicabut" in client.get(detail).text

        replies = say(client, NEWCOMER, f"DAFTAR {code}")
        assert "Kode undangan itu tidak berlaku" in str(replies)
        assert roles_of(settings, NEWCOMER) == []
    actions = audit_actions(settings)
    assert "invitation_revoked" in actions and "invitation_refused" in actions


def test_another_areas_operator_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        detail = create(client, "psm", "32.73.07.1001").headers["location"]
        invitation_id = detail.split("?")[0].rsplit("/", 1)[1]
        client.cookies.clear()
        sign_in(client, BU_YUNI)  # operator in Jombang
        assert client.get(detail).status_code == 404
        csrf = csrf_of(client.get("/console/orang").text)
        assert client.post(f"/console/orang/undangan/{invitation_id}/cabut", data={"csrf": csrf}).status_code == 404
        outside = client.post("/console/orang/undangan", data={"csrf": csrf, "peran": "psm", "wilayah": "32.73.07.1001"})
        assert outside.status_code == 404
        client.cookies.clear()
        sign_in(client, PAK_ASEP)  # a companion of Pasteur itself: sees no invitation either
        assert client.get(detail).status_code == 404
        csrf = csrf_of(client.get("/console/orang").text)
        assert client.post("/console/orang/undangan", data={"csrf": csrf, "peran": "psm", "wilayah": "32.73.07.1001"}).status_code == 404
    database = Database(settings)
    with database.transaction() as db:
        invitation = db.get(Invitation, int(invitation_id))
        assert invitation is not None and invitation.revoked_at is None
        assert db.scalar(select(Invitation.id).where(Invitation.id != invitation.id)) is None
    database.dispose()
    assert audit_actions(settings).count("invitation_access_denied") == 5


def test_an_admin_invites_a_tksk_for_a_kecamatan_and_levels_are_checked(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, ADMIN_KOTA)
        page = client.get("/console/orang").text
        assert 'value="32.73.07">Seluruh Kecamatan Sukajadi (untuk TKSK)' in page and 'value="32.73.07.1001">Pasteur' in page
        assert '<option value="tksk">' in page.split('id="undang"')[1]
        made = create(client, "tksk", "32.73.07")
        assert made.status_code == 303 and "/console/orang/undangan/" in made.headers["location"]
        assert "TKSK" in client.get(made.headers["location"]).text
        wrong_level = create(client, "psm", "32.73.07")
        assert wrong_level.headers["location"] == "/console/orang?galat=desa#undang"
        assert "pilih desa/kelurahannya" in client.get(wrong_level.headers["location"]).text
        assert create(client, "tksk", "32.73.07.1001").headers["location"] == "/console/orang?galat=tksk#undang"
        assert create(client, "admin", "32.73").headers["location"] == "/console/orang?galat=peran#undang"
        client.cookies.clear()
        sign_in(client, PAK_HENDRA)  # an operator invites no TKSK, even for his own kecamatan
        assert '<option value="tksk">' not in client.get("/console/orang").text.split('id="undang"')[1]
        assert create(client, "tksk", "32.73.07").status_code == 404


def test_forms_without_the_token_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    with demo_client(settings) as client:
        sign_in(client, PAK_HENDRA)
        forged = client.post("/console/orang/undangan", data={"csrf": "x", "peran": "psm", "wilayah": "32.73.07.1001"})
        assert forged.status_code == 403
        assert client.get("/console/orang/undangan/99999").status_code == 404
    assert "invitation_created" not in audit_actions(settings)


def test_an_admin_of_many_villages_chooses_a_kecamatan_first(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.console.people.MAX_VILLAGES_AT_ONCE", 10)  # Kota Bandung has 151 kelurahan
    with demo_client(settings) as client:
        sign_in(client, ADMIN_KOTA)
        first = client.get("/console/orang").text.split('id="undang"')[1]
        assert "Pilih kecamatan dulu" in first and '<option value="32.73.07">Sukajadi</option>' in first
        assert 'name="wilayah"' not in first
        chosen = client.get("/console/orang", params={"kecamatan": "32.73.07"}).text.split('id="undang"')[1]
        assert 'value="32.73.07.1001">Pasteur' in chosen and 'value="32.73.16.1002"' not in chosen
        assert "Seluruh Kecamatan Sukajadi (untuk TKSK)" in chosen
