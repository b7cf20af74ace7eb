"""The admin is an entry point like any other (issue 15): a sysadmin cannot set a section below
its residents, delete a section or a shelter (nor learn a case number trying), or set a legal
clock beyond the law; every change is audited."""

import html
import io
from html.parser import HTMLParser

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditEvent
from shelters.models import Shelter, ShelterUnit
from sla.models import ClockPolicy
from tests.factories import admission

SHELTER = "shelter-kredtrakarn"


class _Form(HTMLParser):
    """The values a browser would post from the page's main form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    parser = _Form()
    parser.feed(page.content.decode())
    return parser.data


def unit_field(data: dict, unit: ShelterUnit, field: str) -> str:
    """The inline form field of `unit` (units-N-field) in the shelter's change form."""
    id_key = next(
        key for key, value in data.items() if key.endswith("-id") and value == str(unit.pk)
    )
    return id_key.removesuffix("-id") + f"-{field}"


@pytest.fixture
def shelter_url():
    return reverse(
        "admin:shelters_shelter_change", args=[Shelter.objects.get(organisation__code=SHELTER).pk]
    )


@pytest.fixture
def resident(worker_chiangmai, director_kredtrakarn):
    return admission(worker_chiangmai, director_kredtrakarn, section="lgbtqi")


@pytest.mark.django_db
def test_a_sysadmin_cannot_set_a_section_below_its_residents(
    client, sysadmin, resident, shelter_url
):
    client.force_login(sysadmin)
    data = form_data(client, shelter_url)
    data[unit_field(data, resident.unit, "capacity")] = "0"
    response = client.post(shelter_url, data)
    assert response.status_code == 200  # the form again, with the reason in Thai
    with translation.override("th"):
        reason = gettext("%(unit)s holds %(occupied)d residents now: it cannot have fewer beds.")
        reason %= {"unit": resident.unit, "occupied": 1}
    assert reason in html.unescape(response.content.decode())
    resident.unit.refresh_from_db()
    assert resident.unit.capacity > 0


@pytest.mark.django_db
def test_a_sysadmin_changes_a_capacity_through_the_service_and_it_is_audited(
    client, sysadmin, resident, shelter_url
):
    client.force_login(sysadmin)
    data = form_data(client, shelter_url)
    old = resident.unit.capacity
    data[unit_field(data, resident.unit, "capacity")] = str(old + 2)
    response = client.post(shelter_url, data)
    assert response.status_code == 302
    resident.unit.refresh_from_db()
    assert resident.unit.capacity == old + 2
    event = AuditEvent.objects.get(actor=sysadmin, object_id=str(resident.unit.pk))
    assert event.changes == {"capacity": [old, old + 2]}


@pytest.mark.django_db
def test_no_section_can_be_deleted_so_no_stay_is_listed_to_the_sysadmin(
    client, sysadmin, resident, shelter_url
):
    client.force_login(sysadmin)
    data = form_data(client, shelter_url)
    assert not [key for key in data if key.endswith("-DELETE")]
    data[unit_field(data, resident.unit, "DELETE")] = "on"  # posted by hand all the same
    response = client.post(shelter_url, data)
    assert response.status_code == 302
    assert ShelterUnit.objects.filter(pk=resident.unit.pk).exists()
    page = client.get(shelter_url).content.decode()
    assert resident.case.number not in page


@pytest.mark.django_db
def test_a_shelter_cannot_be_deleted_in_the_admin(client, sysadmin, shelter_url):
    client.force_login(sysadmin)
    delete_url = shelter_url.replace("/change/", "/delete/")
    assert client.get(delete_url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "unit", "saved"),
    [(72, "hours", False), (3, "days", False), (1, "working_days", False), (20, "hours", True)],
)
def test_the_s29_identification_clock_cannot_exceed_24_hours(client, sysadmin, amount, unit, saved):
    policy = ClockPolicy.objects.get(clock="identification")
    url = reverse("admin:sla_clockpolicy_change", args=[policy.pk])
    client.force_login(sysadmin)
    data = form_data(client, url)
    data.update(due_after=str(amount), due_unit=unit)
    response = client.post(url, data)
    policy.refresh_from_db()
    if saved:
        assert response.status_code == 302
        assert (policy.due_after, policy.due_unit) == (amount, unit)
        event = AuditEvent.objects.get(actor=sysadmin, object_id=str(policy.pk))
        assert event.changes["due_after"] == [24, amount]
    else:
        assert response.status_code == 200
        assert "s.29" in response.content.decode() or "มาตรา 29" in response.content.decode()
        assert (policy.due_after, policy.due_unit) == (24, "hours")


def membership_field(data: dict, membership, field: str) -> str:
    id_key = next(
        key for key, value in data.items() if key.endswith("-id") and value == str(membership.pk)
    )
    return id_key.removesuffix("-id") + f"-{field}"


def user_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


@pytest.mark.django_db
def test_a_sysadmin_cannot_make_themselves_a_central_reviewer(client, sysadmin):
    """Issue 24: their own roles are not theirs to change, in any way."""
    client.force_login(sysadmin)
    data = form_data(client, user_url(sysadmin))
    membership = sysadmin.memberships.get()
    data[membership_field(data, membership, "role")] = "central_reviewer"
    page = client.post(user_url(sysadmin), data)
    assert page.status_code == 200  # the form again, with the refusal
    membership.refresh_from_db()
    assert membership.role == "sysadmin"


@pytest.mark.django_db
def test_a_sysadmin_cannot_give_anyone_the_central_reviewer_role(
    client, sysadmin, worker_chiangmai
):
    client.force_login(sysadmin)
    data = form_data(client, user_url(worker_chiangmai))
    membership = worker_chiangmai.memberships.get()
    data[membership_field(data, membership, "role")] = "central_reviewer"
    with translation.override("th"):
        refusal = gettext(
            "The central reviewer and system administrator roles are given and taken on the "
            "server, with a second person's approval (manage.py role_grant)."
        )
    page = client.post(user_url(worker_chiangmai), data)
    assert page.status_code == 200 and html.escape(refusal) in page.content.decode()
    membership.refresh_from_db()
    assert membership.role == "social_worker"
    assert client.get(reverse("admin:accounts_membership_add")).status_code == 403


@pytest.mark.django_db
def test_a_sysadmin_changes_a_workers_role_audited_and_signed_out(
    client, sysadmin, worker_chiangmai
):
    worker = Client()
    worker.force_login(worker_chiangmai)
    client.force_login(sysadmin)
    data = form_data(client, user_url(worker_chiangmai))
    membership = worker_chiangmai.memberships.get()
    data[membership_field(data, membership, "role")] = "supervisor"
    assert client.post(user_url(worker_chiangmai), data).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "supervisor"
    event = AuditEvent.objects.filter(object_id=str(membership.pk), action="update").latest("pk")
    assert event.username == sysadmin.username and event.changes["role"] == "supervisor"
    assert worker.get(reverse("cases:home")).status_code == 302  # signed in afresh


@pytest.mark.django_db
def test_a_sysadmin_cannot_set_another_users_password(client, sysadmin, worker_chiangmai):
    client.force_login(sysadmin)
    url = reverse("admin:auth_user_password_change", args=[worker_chiangmai.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403


@pytest.mark.django_db
def test_the_operator_grants_a_powerful_role_only_with_a_second_person(
    worker_chiangmai, central_reviewer
):
    with pytest.raises(CommandError):
        call_command(
            "role_grant", "somsri", "central", "central_reviewer", "--approved-by", "somsri"
        )
    call_command(
        "role_grant",
        worker_chiangmai.username,
        "central",
        "central_reviewer",
        "--approved-by",
        central_reviewer.username,
        stdout=io.StringIO(),
    )
    granted = worker_chiangmai.memberships.get(role="central_reviewer")
    event = AuditEvent.objects.get(
        object_id=str(granted.pk), action="create", username=central_reviewer.username
    )
    assert event.changes["via"] == "manage.py role_grant"
