"""Each role lands on its own page, showing who they are, their organisation and role."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANDING = [
    ("worker_chiangmai", "cases:home", "นักสังคมสงเคราะห์", "pso-50"),
    ("supervisor_chiangmai", "cases:home", "หัวหน้างาน", "pso-50"),
    ("director_kredtrakarn", "shelters:home", "ผู้อำนวยการสถานคุ้มครอง", "shelter-kredtrakarn"),
    ("staff_kredtrakarn", "shelters:home", "เจ้าหน้าที่สถานคุ้มครอง", "shelter-kredtrakarn"),
    ("central_reviewer", "referrals:home", "ผู้ตรวจสอบส่วนกลาง", "central"),
    ("sysadmin", "accounts:sysadmin_home", "ผู้ดูแลระบบ", "central"),
]


@pytest.mark.parametrize(("persona", "landing", "role_th", "organisation_code"), LANDING)
def test_each_role_lands_on_its_own_page(
    client, request, persona, landing, role_th, organisation_code
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(landing)
    page = response.content.decode()
    assert user.username in page
    assert role_th in page
    assert Organisation.objects.get(code=organisation_code).name_th in page


def test_a_shelter_director_sees_the_beds_of_their_own_shelter(client, director_kredtrakarn):
    client.force_login(director_kredtrakarn)
    board = client.get(reverse("shelters:home")).context
    assert board["shelter"].organisation.code == "shelter-kredtrakarn"
    assert board["total_beds"] == sum(u.capacity for u in board["shelter"].units.all()) > 0


def test_the_central_reviewer_sees_all_six_shelters(client, central_reviewer):
    """The review page loads the shelters' beds from the occupancy page once it has loaded."""
    client.force_login(central_reviewer)
    occupancy = reverse("shelters:national")
    review = client.get(reverse("referrals:home")).content.decode()
    assert f'hx-get="{occupancy}"' in review
    assert len(client.get(occupancy).context["shelters"]) == 6


def test_a_social_worker_sees_only_colleagues_of_their_own_office(
    client, worker_chiangmai, supervisor_chiangmai, worker_tak
):
    client.force_login(worker_chiangmai)
    rows = client.get(reverse("cases:home")).context["colleagues"]
    assert len(rows) == 2
    table = "".join(rows)
    assert worker_chiangmai.display_name in table and supervisor_chiangmai.display_name in table
    assert "หัวหน้างาน" in table and supervisor_chiangmai.email in table  # the role, in Thai
    assert worker_tak.display_name not in table


@pytest.mark.parametrize(
    ("persona", "other_page"),
    [
        ("worker_chiangmai", "referrals:home"),
        ("worker_chiangmai", "shelters:home"),
        ("director_kredtrakarn", "cases:home"),
        ("central_reviewer", "accounts:sysadmin_home"),
        ("sysadmin", "cases:home"),
        ("sysadmin", "referrals:home"),
    ],
)
def test_another_roles_page_is_forbidden(client, request, persona, other_page):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(other_page)).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in_from_any_role_page(client):
    for page in ["cases:home", "shelters:home", "referrals:home", "accounts:sysadmin_home"]:
        response = client.get(reverse(page))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_account_without_an_organisation_is_told_to_ask_for_one(client):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403
    assert "ไม่ได้สังกัดหน่วยงาน" in response.content.decode()


def test_a_sysadmin_edits_reference_data_in_the_admin_but_sees_no_audit_log(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200
    assert client.get(reverse("admin:sla_clockpolicy_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


def test_other_roles_have_no_admin(client, central_reviewer):
    client.force_login(central_reviewer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_sysadmin_cannot_make_anyone_a_superuser(client, sysadmin, worker_chiangmai):
    from audit.models import AuditEvent

    client.force_login(sysadmin)
    url = reverse("admin:accounts_user_change", args=[worker_chiangmai.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key not in ("password", "groups", "user_permissions", "last_login", "date_joined")
        and value is not None
    }
    data.update(
        {
            "is_superuser": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    assert client.post(url, data).status_code == 302
    worker_chiangmai.refresh_from_db()
    assert worker_chiangmai.is_superuser is False
    assert AuditEvent.objects.filter(actor=sysadmin, object_id=str(worker_chiangmai.pk)).exists()
