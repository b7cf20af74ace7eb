"""A supervisor gives a named person time-limited access to one case; it ends by itself."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from accounts.models import Role
from audit.models import AuditEvent
from cases import services
from cases.models import CaseUserObjectPermission
from cases.selectors import case_list_visible_to, case_shares_of
from core.domain import ActionForbidden
from tests.factories import UserFactory, member, partner_officer, register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_officer(db):
    return UserFactory(username="pol.somchai")


@pytest.fixture
def case(worker_chiangmai):
    return register_case(worker_chiangmai)


def give(case, actor, user, days=7):
    return services.access_grant_give(
        case=case,
        actor=actor,
        user=user,
        purpose="MDT interview",
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def test_a_granted_person_sees_the_case_and_only_that_case(
    client, case, worker_chiangmai, supervisor_chiangmai, police_officer
):
    other = register_case(worker_chiangmai, name_th="มานี")
    grant = give(case, supervisor_chiangmai, police_officer)
    assert get_perms(police_officer, case) == ["view_case"]
    assert CaseUserObjectPermission.objects.filter(content_object=case).count() == 1
    assert list(case_list_visible_to(user=police_officer)) == [case]
    client.force_login(police_officer)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert page.context["may_work"] is False
    assert client.get(other.get_absolute_url()).status_code == 404
    assert AuditEvent.objects.filter(action="create", object_id=str(grant.pk)).exists()


def test_an_expired_grant_shows_nothing_even_before_the_revocation_runs(
    case, supervisor_chiangmai, police_officer
):
    grant = give(case, supervisor_chiangmai, police_officer)
    type(grant).objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not case_list_visible_to(user=police_officer).exists()
    assert services.access_grants_expire() == 1
    assert get_perms(police_officer, case) == []
    assert services.access_grants_expire() == 0
    assert AuditEvent.objects.filter(
        object_id=str(grant.pk), action="update", username="system"
    ).exists()


def test_only_a_supervisor_of_the_owning_office_gives_access(
    case, worker_chiangmai, police_officer
):
    other_supervisor = member(Role.SUPERVISOR, "pso-63", "sup.tak")
    for actor in (worker_chiangmai, other_supervisor):
        with pytest.raises(ActionForbidden):
            give(case, actor, police_officer)


def test_access_is_never_open_ended_or_given_to_a_sysadmin(
    case, supervisor_chiangmai, police_officer, sysadmin
):
    with pytest.raises(ValidationError):
        give(case, supervisor_chiangmai, police_officer, days=91)
    with pytest.raises(ValidationError):
        give(case, supervisor_chiangmai, sysadmin)


def test_the_supervisor_gives_and_revokes_access_on_the_case_page(
    client, case, supervisor_chiangmai
):
    police_officer = partner_officer("police", "pol.page")
    client.force_login(supervisor_chiangmai)
    given = client.post(
        reverse("cases:give_access", args=[case.pk]),
        {
            "organisation": police_officer.membership.organisation.pk,
            "user": police_officer.pk,
            "parts": ["identity"],
            "purpose": "Court hearing",
            "expires_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert given.status_code == 302
    grant = case.access_grants.get()
    revoked = client.post(reverse("cases:revoke_access", args=[case.pk, grant.pk]))
    assert revoked.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not case_shares_of(user=police_officer).exists()


def test_a_refusal_to_share_information_blocks_a_grant(
    case, worker_chiangmai, supervisor_chiangmai, police_officer
):
    services.consent_record(
        case=case, actor=worker_chiangmai, step="data_sharing", decision="refused"
    )
    with pytest.raises(ValidationError) as error:
        give(case, supervisor_chiangmai, police_officer)
    assert "user" in error.value.message_dict
    assert not case.access_grants.exists()
    assert "cases.view_case" not in get_perms(police_officer, case)


def test_sharing_agreed_again_after_a_refusal_allows_a_grant(
    case, worker_chiangmai, supervisor_chiangmai, police_officer
):
    for decision in ("refused", "given"):
        services.consent_record(
            case=case, actor=worker_chiangmai, step="data_sharing", decision=decision
        )
    assert give(case, supervisor_chiangmai, police_officer).user == police_officer


def test_a_grant_and_its_revocation_take_effect_on_the_next_page_after_warm_copies(
    client, case, supervisor_chiangmai, worker_tak
):
    """Whether a user holds a live grant is kept between requests (issue 23): a new grant must
    still open its case on the very next request, and a revoked one close it."""
    client.force_login(worker_tak)
    for _warm in range(2):
        assert client.get(reverse("cases:list")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:list"))
    assert not any("cases_accessgrant" in query["sql"] for query in queries)  # from the copy
    assert client.get(case.get_absolute_url()).status_code == 404

    grant = give(case, supervisor_chiangmai, worker_tak)
    assert client.get(case.get_absolute_url()).status_code == 200
    services.access_grant_revoke(grant_id=grant.pk, actor=supervisor_chiangmai)
    assert client.get(case.get_absolute_url()).status_code == 404
