"""MDT members of a screening linked to their own accounts (issue 21): chosen from the accounts
of the case's office and of the partner officers the case is shared with, checked by the
service (active, of an organisation that fits the member's agency, once per screening), named
with their organisation on the screening page and on the partner's page, and no list of
accounts for anyone outside the case's office."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cases import services
from cases.models import SharedPart
from tests.factories import partner_officer, register_case, screening_in_state, share_case

pytestmark = pytest.mark.django_db

REFUSED = "บัญชีนี้เชื่อมโยงไม่ได้"


@pytest.fixture
def shared(worker_chiangmai, supervisor_chiangmai):
    case = register_case(worker_chiangmai)
    screening = screening_in_state(worker_chiangmai, "open", case=case)
    police = partner_officer("police", "pol.linked")
    share_case(case, supervisor_chiangmai, police, [SharedPart.SCREENING])
    return {"case": case, "screening": screening, "police": police}


def add(screening, actor, **member):
    return services.screening_update(
        screening_id=screening.pk,
        actor=actor,
        members=[services.MemberInput(**{"name": "", "position": "", **member})],
    )


def test_a_worker_links_the_police_officer_the_case_is_shared_with(
    client, shared, worker_chiangmai
):
    police, screening = shared["police"], shared["screening"]
    client.force_login(worker_chiangmai)
    response = client.post(
        reverse("cases:screening_add_member", args=[screening.pk]),
        {"agency": "police", "account": police.pk, "name": "", "position": "พนักงานสอบสวน"},
    )
    assert response.status_code == 302
    member = screening.members.get(account=police)
    assert member.organisation == police.membership.organisation
    assert member.name == police.display_name  # no name typed: the account's
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("pk")
    assert event.changes["member_accounts"] == [
        {"account": police.pk, "organisation": member.organisation.pk}
    ]
    page = client.get(reverse("cases:screening", args=[screening.pk])).content.decode()
    assert 'data-testid="member-account"' in page and member.organisation.name_th in page
    client.force_login(police)
    shared_page = client.get(reverse("partners:case", args=[shared["case"].pk])).content.decode()
    assert f"{member.name} (ตำรวจ · {member.organisation.name_th})" in shared_page


def test_a_social_development_member_is_an_account_of_the_cases_own_office(
    shared, worker_chiangmai, supervisor_chiangmai, worker_tak
):
    screening = shared["screening"]
    add(screening, worker_chiangmai, agency="msdhs", account=supervisor_chiangmai)
    assert screening.members.get(account=supervisor_chiangmai).organisation.code == "pso-50"
    with pytest.raises(ValidationError) as error:
        add(screening, worker_chiangmai, agency="msdhs", account=worker_tak)
    assert REFUSED in error.value.message_dict["account"][0]


def test_an_inactive_or_unsuitable_account_is_refused_in_thai(shared, worker_chiangmai):
    screening, police = shared["screening"], shared["police"]
    labour = partner_officer("labour", "lab.linked")
    with pytest.raises(ValidationError) as error:
        add(screening, worker_chiangmai, agency="police", account=labour)  # not the police
    assert REFUSED in error.value.message_dict["account"][0]
    police.is_active = False
    police.save()
    with pytest.raises(ValidationError) as error:
        add(screening, worker_chiangmai, agency="police", account=police)
    assert REFUSED in error.value.message_dict["account"][0]
    assert not screening.members.filter(account__isnull=False).exists()


def test_an_account_sits_once_on_a_screenings_mdt(shared, worker_chiangmai):
    screening, police = shared["screening"], shared["police"]
    add(screening, worker_chiangmai, agency="police", account=police)
    with pytest.raises(ValidationError) as error:
        add(screening, worker_chiangmai, agency="police", account=police, name="อีกครั้ง")
    assert "เป็นสมาชิก" in error.value.message_dict["account"][0]
    assert screening.members.filter(account=police).count() == 1


def test_a_member_without_name_or_account_is_refused(shared, worker_chiangmai):
    with pytest.raises(ValidationError) as error:
        add(shared["screening"], worker_chiangmai, agency="police")
    assert "name" in error.value.message_dict


def test_the_list_offers_only_the_office_and_the_officers_shared_with(
    client, shared, worker_chiangmai, supervisor_chiangmai, worker_tak
):
    screening = shared["screening"]
    hidden = partner_officer("immigration", "imm.hidden")
    url = reverse("cases:screening", args=[screening.pk])
    client.force_login(worker_chiangmai)
    page = client.get(url).content.decode()
    account_select = re.search(r'<select[^>]*\bname="account"[^>]*>', page).group(0)
    assert "data-typeahead" in account_select  # chosen by typing a name, never a user name
    assert shared["police"].display_name in page and supervisor_chiangmai.display_name in page
    assert hidden.display_name not in page and worker_tak.display_name not in page
    # An account not offered cannot be posted either: the same refusal as a made-up one.
    add_url = reverse("cases:screening_add_member", args=[screening.pk])
    refused = client.post(add_url, {"agency": "immigration", "account": hidden.pk, "name": "x"})
    made_up = client.post(add_url, {"agency": "immigration", "account": 999999, "name": "x"})
    assert refused.status_code == made_up.status_code == 200
    assert not screening.members.filter(name="x").exists()
    error = 'class="invalid-feedback'
    assert refused.content.decode().count(error) == made_up.content.decode().count(error) == 1
    # The supervisor, who may share the case, is offered every partner officer.
    client.force_login(supervisor_chiangmai)
    assert hidden.display_name in client.get(url).content.decode()
    # Another province's worker sees neither the page nor the form.
    client.force_login(worker_tak)
    assert client.get(url).status_code == 404
    assert (
        client.post(add_url, {"agency": "police", "account": shared["police"].pk}).status_code
        == 404
    )


def test_the_api_links_an_account_and_refuses_a_made_up_one_the_same_way(shared, worker_chiangmai):
    client = APIClient()
    client.force_authenticate(worker_chiangmai)
    url = reverse("api:screening-members", args=[shared["screening"].pk])
    police = shared["police"]
    police_org = police.membership.organisation
    linked = client.post(url, {"agency": "police", "account": police.pk}, format="json")
    assert linked.status_code == 200
    assert {"account": police.pk, "organisation": police_org.code}.items() <= (
        linked.json()["members"][-1].items()
    )
    labour = partner_officer("labour", "lab.api")
    unsuitable = client.post(url, {"agency": "police", "account": labour.pk}, format="json")
    made_up = client.post(url, {"agency": "police", "account": 999999}, format="json")
    assert unsuitable.status_code == made_up.status_code == 400
    assert REFUSED in str(unsuitable.json()) and REFUSED in str(made_up.json())


def test_a_worker_links_only_the_partner_officers_the_case_is_shared_with(
    shared, worker_chiangmai, supervisor_chiangmai
):
    """Whoever may not be offered every partner officer cannot link one by number either."""
    screening = shared["screening"]
    hidden = partner_officer("immigration", "imm.unshared")
    with pytest.raises(ValidationError) as error:
        add(screening, worker_chiangmai, agency="immigration", account=hidden)
    assert REFUSED in error.value.message_dict["account"][0]
    add(screening, supervisor_chiangmai, agency="immigration", account=hidden)
    assert screening.members.get(account=hidden).organisation.agency == "immigration"
