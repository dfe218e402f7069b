"""Finding a village the way people write it, in the gazetteer built from the shipped area list,
and the area flow's answers to it (taken at once, "Maksud Anda …?", a list narrowed by typing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations import Context, Inbound, PersonView, Session, step
from conversations.areas import Gazetteer
from conversations.effects import SetArea
from conversations.flows import area

PASTEUR = "32.73.07.1001"  # Pasteur, Sukajadi, Kota Bandung
KEBON_JAYANTI = "32.73.16.1002"  # Kebon Jayanti, Kiaracondong, Kota Bandung
BANDARKEDUNGMULYO = "35.17.18.2001"  # the village, in the kecamatan of the same name (35.17.18), Kabupaten Jombang
KEC_BANDARKEDUNGMULYO = "35.17.18"
KAYEN_JOMBANG = "35.17.18.2004"
SUKAMAJU_CIBUNGBULANG = "32.01.16.2013"


def codes(areas) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.code for a in areas]


# --- the gazetteer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("pasteur bdg", PASTEUR),
        ("Pasteur, Bandung", PASTEUR),
        ("sy tinggal di pasteur bdg", PASTEUR),
        ("di desa pasteur", PASTEUR),
        ("rumah sy di kel. pasteur kota bandung", PASTEUR),
        ("ds bandarkedungmulyo", BANDARKEDUNGMULYO),
        ("desa bandarkedungmulyo jbg", BANDARKEDUNGMULYO),
        ("kel. kebon jayanti", KEBON_JAYANTI),
        ("kebon jayanti bdg", KEBON_JAYANTI),
        ("desa sukamaju kec cibungbulang", SUKAMAJU_CIBUNGBULANG),
        ("desa sukamaju kec. cibungbulang kab. bgr", SUKAMAJU_CIBUNGBULANG),
        ("kayen jombang", KAYEN_JOMBANG),
    ],
)
def test_an_exact_name_as_people_write_it_finds_one_village(gazetteer: Gazetteer, query: str, code: str) -> None:
    found = gazetteer.search(query)
    assert not found.fuzzy
    assert found.sole is not None and found.sole.code == code


def test_a_village_is_preferred_to_the_kecamatan_of_the_same_name(gazetteer: Gazetteer) -> None:
    found = gazetteer.search("bandarkedungmulyo")
    assert codes(found.villages) == [BANDARKEDUNGMULYO]
    assert codes(found.districts) == [KEC_BANDARKEDUNGMULYO]
    assert found.sole is not None and found.sole.code == BANDARKEDUNGMULYO


def test_kec_names_the_kecamatan(gazetteer: Gazetteer) -> None:
    found = gazetteer.search("kec bandarkedungmulyo")
    assert (codes(found.villages), codes(found.districts)) == ([], [KEC_BANDARKEDUNGMULYO])
    assert found.sole is not None and found.sole.code == KEC_BANDARKEDUNGMULYO


def test_several_villages_and_a_kecamatan_of_one_name_are_not_one_place(gazetteer: Gazetteer) -> None:
    found = gazetteer.search("kayen")
    assert len(found.villages) == 6 and len(found.districts) == 1
    assert found.sole is None


def test_a_place_word_that_is_part_of_a_name_is_kept(gazetteer: Gazetteer) -> None:
    found = gazetteer.search("kota baru")
    assert found.villages and all(a.name == "Kota Baru" for a in found.villages)


def test_many_villages_share_a_name_until_the_city_is_added(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.search("sukamaju").villages) == 65
    assert gazetteer.search("sukamaju").sole is None
    assert [gazetteer.label(c) for c in codes(gazetteer.search("sukamaju bogor").villages)] == [
        "Sukamaju, Jonggol, Kabupaten Bogor",
        "Sukamaju, Cibungbulang, Kabupaten Bogor",
        "Sukamaju, Cigudeg, Kabupaten Bogor",
        "Sukamaju, Megamendung, Kabupaten Bogor",
    ]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("pastur", PASTEUR),
        ("pastur bdg", PASTEUR),
        ("bandarkedung mulyo", BANDARKEDUNGMULYO),
        ("kebonjayanti", KEBON_JAYANTI),
        ("desa sukamju kec cibungbulang", SUKAMAJU_CIBUNGBULANG),
    ],
)
def test_a_misspelt_name_finds_one_close_village(gazetteer: Gazetteer, query: str, code: str) -> None:
    found = gazetteer.search(query)
    assert found.fuzzy
    assert found.sole is not None and found.sole.code == code


@pytest.mark.parametrize(
    ("query", "region"),
    [
        ("jakarta", "Daerah Khusus Ibukota Jakarta"),
        ("jkt", "Daerah Khusus Ibukota Jakarta"),
        ("jaksel", "Kota Administrasi Jakarta Selatan"),
        ("jogja", "Kota Yogyakarta"),
        ("sby", "Kota Surabaya"),
        ("kab bogor", "Kabupaten Bogor"),
    ],
)
def test_a_city_alone_is_not_a_village(gazetteer: Gazetteer, query: str, region: str) -> None:
    found = gazetteer.search(query)
    assert found.empty and found.sole is None
    assert region in [a.name for a in found.regions]


def test_a_nonsense_word_finds_nothing(gazetteer: Gazetteer) -> None:
    for query in ("qwertyuiop", "asdf qwer zxcv", "di", "🙏"):
        found = gazetteer.search(query)
        assert found.empty and not found.regions, query


def test_a_typed_word_fits_listed_places_by_name_kecamatan_city_or_province(gazetteer: Gazetteer) -> None:
    kayen = codes(gazetteer.search("kayen").villages)
    in_east_java = gazetteer.fitting(kayen, "jawa timur")
    assert [gazetteer.label(c).split(", ")[2] for c in in_east_java] == [
        "Kabupaten Pacitan", "Kabupaten Trenggalek", "Kabupaten Jombang", "Kabupaten Tuban",
    ]  # fmt: skip
    assert gazetteer.fitting(kayen, "jombang") == (KAYEN_JOMBANG,)
    assert gazetteer.fitting(kayen, "kec bandarkedungmulyo") == (KAYEN_JOMBANG,)
    assert gazetteer.fitting(kayen, "pasteur") == ()


def test_a_typed_word_fits_villages_of_a_kecamatan_by_their_name(gazetteer: Gazetteer) -> None:
    villages = codes(gazetteer.villages_of(KEC_BANDARKEDUNGMULYO))
    assert gazetteer.fitting(villages, "kayn", by_name_only=True) == (KAYEN_JOMBANG,)
    assert [gazetteer.get(c).name for c in gazetteer.fitting(villages, "bran", by_name_only=True)] == ["Brangkal"]  # type: ignore[union-attr]
    assert gazetteer.fitting(villages, "jombang", by_name_only=True) == ()
    assert gazetteer.fitting(villages, "xyzabc", by_name_only=True) == ()


# --- the flow ----------------------------------------------------------------------------------------


class Chat:
    def __init__(self, gazetteer: Gazetteer, translators) -> None:  # type: ignore[no-untyped-def]
        self.ctx = Context(
            now=datetime(2026, 11, 23, 2, 0, tzinfo=UTC), person=PersonView(consented=True),
            gazetteer=gazetteer, translators=translators,
        )  # fmt: skip
        started = area.start(Session(), self.ctx)
        self.session = started.session
        self.effects: list[object] = []

    def say(self, text: str) -> str:
        result = step(self.session, Inbound.text_(text), self.ctx)
        self.session = result.session
        self.effects += result.effects
        lines = []
        for reply in result.replies:
            lines.append(reply.text)
            lines += [f"{n}. {o.label}" for n, o in enumerate(reply.options, start=1)]
        return "\n".join(lines)


@pytest.fixture
def chat(gazetteer: Gazetteer, catalog_translators) -> Chat:  # type: ignore[no-untyped-def]
    return Chat(gazetteer, catalog_translators)


@pytest.mark.parametrize(
    ("query", "code"),
    [("pasteur bdg", PASTEUR), ("ds bandarkedungmulyo", BANDARKEDUNGMULYO), ("kel. kebon jayanti", KEBON_JAYANTI),
     ("desa sukamaju kec cibungbulang", SUKAMAJU_CIBUNGBULANG), ("sy tinggal di pasteur bdg", PASTEUR)],
)  # fmt: skip
def test_one_exact_match_is_taken_at_once_and_says_how_to_change_it(chat: Chat, query: str, code: str) -> None:
    shown = chat.say(query)
    assert chat.effects == [SetArea(code)]
    assert f"Tempat Anda: {chat.ctx.gazetteer.label(code)}. (Salah? Ketik GANTI DESA.)" in shown
    assert "Yang mana tempat Anda?" not in shown


def test_a_misspelling_asks_did_you_mean_and_iya_takes_it(chat: Chat) -> None:
    assert chat.say("pastur") == "Maksud Anda: Pasteur, Sukajadi, Kota Bandung?\n1. Ya, betul\n2. Bukan, cari lagi"
    assert chat.effects == []
    assert chat.say("iya pak").startswith("Terima kasih. Tempat Anda: Pasteur, Sukajadi, Kota Bandung.")
    assert chat.effects == [SetArea(PASTEUR)]


def test_bukan_to_did_you_mean_asks_again(chat: Chat) -> None:
    chat.say("kebonjayanti")
    assert chat.say("bukan").startswith("Di desa atau kelurahan mana Anda tinggal?")
    assert chat.effects == []


def test_jakarta_alone_asks_for_the_village_in_jakarta(chat: Chat) -> None:
    assert chat.say("jakarta") == "Di Jakarta, desa atau kelurahan mana tempat Anda? Tulis namanya."
    assert chat.effects == [] and chat.session.state == "query"
    assert "Gambir, Gambir, Kota Administrasi Jakarta Pusat" in chat.say("gambir")
    assert chat.effects == [SetArea("31.71.01.1001")]


def test_several_close_misspellings_are_listed(chat: Chat) -> None:
    shown = chat.say("sukamju")
    assert chat.effects == [] and "Maksud Anda" not in shown


def test_typing_at_the_list_narrows_it_then_takes_the_one_left(chat: Chat) -> None:
    listed = chat.say("kayen").splitlines()
    assert len(listed) == 9 and listed[7] == "7. Kecamatan Kayen, Kabupaten Pati, Jawa Tengah (pilih desanya)"
    narrowed = chat.say("jawa timur")
    assert narrowed.splitlines() == [
        "Yang mana tempat Anda?", "1. Kayen, Pacitan, Kabupaten Pacitan", "2. Kayen, Karangan, Kabupaten Trenggalek",
        "3. Kayen, Bandarkedungmulyo, Kabupaten Jombang", "4. Kayen, Bancar, Kabupaten Tuban", "5. Bukan, cari lagi",
    ]  # fmt: skip
    chat.say("bandarkedungmulyo")
    assert chat.effects == [SetArea(KAYEN_JOMBANG)]


def test_a_word_fitting_no_entry_of_the_list_is_a_new_search(chat: Chat) -> None:
    chat.say("sukamaju bogor")
    chat.say("kebon jayanti")
    assert chat.effects == [SetArea(KEBON_JAYANTI)]


def test_villages_of_a_kecamatan_are_narrowed_by_typing(chat: Chat) -> None:
    assert chat.say("kec bandarkedungmulyo").startswith("Desa atau kelurahan mana di Kecamatan Bandarkedungmulyo?")
    sorry = chat.say("xyzabc")
    assert sorry.startswith('Maaf, "xyzabc" tidak ada di Kecamatan Bandarkedungmulyo.')
    assert chat.session.state == "village" and chat.effects == []
    chat.say("kayn")
    assert chat.effects == [SetArea(KAYEN_JOMBANG)]


def test_another_place_typed_at_the_villages_of_a_kecamatan_is_a_new_search(chat: Chat) -> None:
    chat.say("kec bandarkedungmulyo")
    chat.say("pasteur bdg")
    assert chat.effects == [SetArea(PASTEUR)]


def test_cari_lagi_at_the_villages_of_a_kecamatan_asks_again(chat: Chat) -> None:
    chat.say("kec bandarkedungmulyo")
    assert chat.say("cari lagi").startswith("Di desa atau kelurahan mana Anda tinggal?")
    assert chat.session.state == "query" and chat.effects == []
