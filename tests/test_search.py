"""Finding a person the way the duplicate finder does (issue 17): a name in any script and
spelling, a case number, a document number or a phone number, ranked, in the case list and the
API, and never a person the user may not see."""

import pytest
from django.urls import reverse

from cases import selectors
from cases.duplicates import Candidate, find_duplicates
from cases.search import cases_matching, person_ranks
from tests.factories import register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def chiangmai(worker_chiangmai):
    """Three persons of the demo data registered in Chiang Mai, and one other."""
    return {
        "min tun": register_case(
            worker_chiangmai,
            name_th="มิน ทุน",
            name_latin="Min Tun",
            name_native="မင်းထွန်း",
            sex="male",
            nationality="MM",
            estimated_age=15,
            phone="+66 81 234 5678",
        ),
        "su su": register_case(
            worker_chiangmai,
            name_th="ซู ซู",
            name_latin="Su Su",
            name_native="စုစု",
            sex="female",
            nationality="MM",
        ),
        "li wei": register_case(
            worker_chiangmai,
            name_th="ลี เหว่ย",
            name_latin="Li Wei",
            name_native="李伟",
            sex="male",
            nationality="CN",
            documents=[_passport("EH1234567")],
        ),
        "somchai": register_case(
            worker_chiangmai, name_th="สมชาย ใจกล้า", name_latin="Somchai Jaikla", sex="male"
        ),
    }


@pytest.fixture
def tak_min_htun(worker_tak):
    """A person of another province, with a name close to one of Chiang Mai's."""
    return register_case(worker_tak, name_latin="Min Htun", sex="male", nationality="MM")


def _passport(number):
    from cases.services import DocumentInput

    return DocumentInput(kind="passport", number=number, issuing_country="CN")


def _found(user, text) -> list[str]:
    cases = selectors.case_list_visible_to(user=user)
    return [case.number for case in cases_matching(text, cases=cases)]


@pytest.mark.parametrize(
    ("typed", "person"),
    [
        ("Min Htun", "min tun"),
        ("min tun", "min tun"),
        ("มิน ทุน", "min tun"),
        ("มินทุน", "min tun"),
        ("မင်းထွန်း", "min tun"),
        ("ซูซู", "su su"),
        ("Su Su", "su su"),
        ("Susu", "su su"),
        ("စုစု", "su su"),
        ("李伟", "li wei"),
        ("Li Wei", "li wei"),
        ("ลีเหว่ย", "li wei"),
        ("Somchai", "somchai"),
        ("JAIKLA", "somchai"),
    ],
)
def test_a_name_in_any_script_or_spelling_finds_its_person_first(
    chiangmai, worker_chiangmai, typed, person
):
    found = _found(worker_chiangmai, typed)

    assert found and found[0] == chiangmai[person].number


def test_a_search_never_finds_a_person_the_user_may_not_see(
    chiangmai, tak_min_htun, worker_chiangmai, worker_tak, central_reviewer
):
    assert tak_min_htun.number not in _found(worker_chiangmai, "Min Htun")
    assert _found(worker_tak, "Min Tun") == [tak_min_htun.number]
    # The central division sees both, the exact spelling first.
    assert _found(central_reviewer, "Min Htun")[:2] == [
        tak_min_htun.number,
        chiangmai["min tun"].number,
    ]
    # The ranking looks only among the persons given to it.
    visible = selectors.person_list_visible_to(user=worker_chiangmai)
    assert tak_min_htun.person_id not in person_ranks("Min Htun", persons=visible)


def test_unrelated_names_are_not_found(chiangmai, worker_chiangmai):
    assert _found(worker_chiangmai, "Nguyen Van Nam") == []
    assert _found(worker_chiangmai, "Boonmee") == []


def test_a_case_number_a_document_number_and_a_phone_number_find_the_case(
    chiangmai, worker_chiangmai
):
    li_wei, min_tun = chiangmai["li wei"], chiangmai["min tun"]

    assert _found(worker_chiangmai, li_wei.number) == [li_wei.number]
    assert _found(worker_chiangmai, li_wei.number[-6:])[0] == li_wei.number
    assert _found(worker_chiangmai, "eh 1234567") == [li_wei.number]
    for typed in ("081-234-5678", "+66812345678", "812345678"):
        assert _found(worker_chiangmai, typed) == [min_tun.number], typed
    assert _found(worker_chiangmai, "0899999999") == []


def test_the_case_list_searches_and_ranks(client, chiangmai, worker_chiangmai):
    client.force_login(worker_chiangmai)

    page = client.get(reverse("cases:list"), {"q": "ซูซู"})

    assert page.status_code == 200
    content = page.content.decode()
    assert chiangmai["su su"].number in content
    assert chiangmai["somchai"].number not in content


def test_a_search_too_long_or_made_of_punctuation_answers_without_error(
    client, chiangmai, worker_chiangmai
):
    client.force_login(worker_chiangmai)

    for typed in ("!!!---", "ก" * 300, "%_\\"):
        page = client.get(reverse("cases:list"), {"q": typed})
        assert page.status_code == 200, typed
        assert chiangmai["su su"].number not in page.content.decode()


def test_the_api_searches_persons_and_cases_with_q(
    client, chiangmai, tak_min_htun, worker_chiangmai
):
    client.force_login(worker_chiangmai)

    persons = client.get("/api/v1/persons/", {"q": "李伟"}).json()["results"]
    cases = client.get("/api/v1/cases/", {"q": "Min Htun"}).json()["results"]

    assert [person["id"] for person in persons] == [chiangmai["li wei"].person_id]
    assert [case["number"] for case in cases] == [chiangmai["min tun"].number]


def test_the_case_page_links_to_the_person_page(client, chiangmai, worker_chiangmai):
    case = chiangmai["min tun"]
    client.force_login(worker_chiangmai)

    page = client.get(case.get_absolute_url())

    assert reverse("cases:person", args=[case.person_id]) in page.content.decode()
    assert "+66812345678" in page.content.decode()


@pytest.mark.parametrize(
    "candidate",
    [
        Candidate(name_native="李伟", nationality="CN"),
        Candidate(name_latin="Min Htun", nationality="MM", estimated_age=15),
        Candidate(name_native="မင်းထွန်း"),
        Candidate(name_th="มิน ทุน", nationality="MM"),
    ],
)
def test_duplicate_detection_finds_the_same_spellings(chiangmai, candidate):
    persons = [match.person for match in find_duplicates(candidate)]

    assert persons[:1] in (
        [chiangmai["li wei"].person],
        [chiangmai["min tun"].person],
    )


def test_a_chinese_name_alone_raises_the_duplicate_warning_at_registration(
    client, chiangmai, worker_tak
):
    """The demo's Li Wei, registered again elsewhere by his Chinese name only: the worker is
    told another office may know him (issue 24: without naming the case)."""
    client.force_login(worker_tak)

    page = client.post(
        reverse("cases:register"),
        {
            "name_native": "李伟",
            "sex": "male",
            "nationality": "CN",
            "intake_channel": "hotline_1300",
            "intake_date": "01/11/2569",
            "intake_province": worker_tak.membership.organisation.province.pk,
            "exploitation_types": ["scam_compound"],
            "risk_level": "high",
        },
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="match-elsewhere"' in html
    # Nothing here to link to: the worker registers, and the central division checks.
    assert 'data-testid="register-elsewhere"' in html
    assert 'name="link_person"' not in html


def test_a_phone_number_that_is_not_one_is_refused_in_thai(client, worker_chiangmai):
    client.force_login(worker_chiangmai)

    page = client.post(
        reverse("cases:register"),
        {"name_latin": "Aye Aye", "sex": "female", "phone": "call me"},
        HTTP_ACCEPT_LANGUAGE="th",
    )

    assert page.status_code == 200
    assert "ไม่ใช่หมายเลขโทรศัพท์" in page.content.decode()
