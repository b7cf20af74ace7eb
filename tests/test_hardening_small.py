"""The smaller holes of issue 24, each with the user's view of it: a shelter does not learn
where else a person stayed; NUL bytes, invalid UTF-8 and deeply nested JSON are refused with a
clear message instead of a 500 or a silent change."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Person
from shelters import services as shelters
from tests.factories import admission, member, referral_in_state

NARISAWAT = "shelter-narisawat"


@pytest.mark.django_db
def test_a_director_does_not_see_the_persons_stay_in_another_shelter(
    client, worker_chiangmai, director_kredtrakarn
):
    earlier = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})
    shelters.placement_discharge(
        placement_id=earlier.pk, actor=director_kredtrakarn, reason="reintegrated"
    )
    narisawat = member("shelter_director", NARISAWAT, "dir.narisawat")
    admission(worker_chiangmai, narisawat, case=earlier.case, shelter=NARISAWAT)
    client.force_login(narisawat)
    for name in ("cases:detail", "cases:summary"):
        page = client.get(reverse(name, args=[earlier.case_id]))
        assert page.status_code == 200
        assert "เกร็ดตระการ" not in page.content.decode()  # the other shelter's name
    client.force_login(worker_chiangmai)  # the owning office sees both stays
    page = client.get(reverse("cases:detail", args=[earlier.case_id])).content.decode()
    assert "เกร็ดตระการ" in page


@pytest.mark.django_db
def test_a_nul_character_in_a_form_is_refused_in_thai_and_nothing_is_saved(
    client, worker_chiangmai
):
    client.force_login(worker_chiangmai)
    for sent in ("urlencoded", "multipart"):
        response = client.post(
            reverse("cases:register"),
            urlencode({"name_th": "สม\x00ศรี", "sex": "female"})
            if sent == "urlencoded"
            else {"name_th": "สม\x00ศรี", "sex": "female"},
            **(
                {"content_type": "application/x-www-form-urlencoded"}
                if sent == "urlencoded"
                else {}
            ),
        )
        assert response.status_code == 400, sent
    assert 'data-testid="bad-request"' in response.content.decode()
    assert "NUL" in response.content.decode() and "บันทึก" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_invalid_utf8_is_refused_rather_than_stored_as_replacement_characters(
    client, worker_chiangmai
):
    client.force_login(worker_chiangmai)
    response = client.post(
        reverse("cases:register"),
        b"name_th=%E0%B8%AA%FF%FE&sex=female",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not Person.objects.exists()
    assert client.get(reverse("cases:list") + "?q=%FF%FE").status_code == 400


@pytest.mark.django_db
def test_the_api_refuses_nul_and_deep_json_with_a_400(worker_chiangmai):
    api = APIClient()
    api.force_authenticate(worker_chiangmai)
    deep = "[" * 5000 + "]" * 5000
    for body in (deep, '{"name_th": "a\\u0000b", "sex": "female"}'):
        response = api.post("/api/v1/persons/", body, content_type="application/json")
        assert response.status_code == 400, body[:40]
        assert response.json()["detail"]
    fine = api.post(
        "/api/v1/persons/", '{"name_th": "[[{ in a name }]]"}', content_type="application/json"
    )
    assert fine.status_code != 500 and "nested" not in str(fine.json())


@pytest.mark.django_db
def test_shelter_staff_see_their_residents_clocks_not_who_is_being_referred(
    client, worker_chiangmai, director_kredtrakarn, staff_kredtrakarn
):
    resident = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})
    incoming = referral_in_state(worker_chiangmai, "submitted", person={"estimated_age": 40})
    client.force_login(staff_kredtrakarn)
    page = client.get(reverse("sla:mine")).content.decode()
    assert resident.case.number in page  # the care plan is theirs to do
    assert incoming.case.number not in page
    client.force_login(director_kredtrakarn)
    assert incoming.case.number in client.get(reverse("sla:mine")).content.decode()
