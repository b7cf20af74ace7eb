"""What a signed-in request reads before its view (issue 23): the session, the membership, the
two-factor devices and the unread count come from the cache, the user row (or the token with
its user) from the database. Each test warms the cache first, as a person's earlier pages do:
every revocation must still take effect on the very next request, and with Redis down or
partitioned the database answers instead."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, Role
from accounts.services import membership_add
from audit.models import AuditEvent
from core import cache as resilient
from core.cache import GenerationCache
from notifications.services import Message, notify_many
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.test_account_security import code_for, sign_in
from tests.test_admin_back_door import form_data, membership_field, user_url
from tests.test_api_me import api_token, works
from tests.test_redis_down import own_redis  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def warm(client, url=ME, **headers):
    """Two requests, as a person's earlier pages: whatever the cache keeps is in it now."""
    for _request in range(2):
        assert client.get(url, **headers).status_code == 200


def me(client, **headers) -> dict:
    response = client.get(ME, **headers)
    assert response.status_code == 200
    return response.json()


def signed_out(client) -> bool:
    response = client.get(reverse("cases:home"))
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


# --- what a warm request reads ----------------------------------------------------------------


@pytest.fixture
def mfa_on(settings):
    settings.NRM_REQUIRE_MFA = True


def test_a_warm_signed_in_request_reads_the_user_row_and_nothing_else(
    client, worker_chiangmai, mfa_on
):
    """Two-factor sign-in in force, as in production: a social worker without an app is
    checked for one (from the cache) on every request."""
    client.force_login(worker_chiangmai)
    warm(client)
    with CaptureQueriesContext(connection) as queries:
        body = me(client)
    assert body["membership"]["organisation"]["province_code"] == "50"  # from the cache
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert '"accounts_user"' in queries[0]["sql"]


def test_a_warm_token_request_reads_the_token_with_its_user_and_nothing_else(
    client, worker_chiangmai
):
    token = api_token(client)
    header = {"HTTP_AUTHORIZATION": f"Token {token}"}
    warm(client, **header)
    with CaptureQueriesContext(connection) as queries:
        assert me(client, **header)["membership"]["role"] == Role.SOCIAL_WORKER
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert '"knox_authtoken"' in queries[0]["sql"]


def test_a_verified_two_factor_session_checks_its_device_without_a_query(
    client, central_reviewer, mfa_on
):
    device = TOTPDevice.objects.create(user=central_reviewer, name="phone", confirmed=True)
    sign_in(client, central_reviewer.username)
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})
    warm(client)
    with CaptureQueriesContext(connection) as queries:
        assert me(client)["membership"]["role"] == Role.CENTRAL_REVIEWER
    assert len(queries) == 1, [q["sql"] for q in queries]


# --- each revocation on the very next request, the cache warm ---------------------------------


def test_a_membership_deactivated_in_the_admin_ends_the_persons_sessions_and_tokens(
    client, sysadmin, worker_chiangmai
):
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker)
    token = api_token(client)
    warm(client, HTTP_AUTHORIZATION=f"Token {token}")
    client.force_login(sysadmin)
    data = form_data(client, user_url(worker_chiangmai))
    del data[membership_field(data, worker_chiangmai.memberships.get(), "is_active")]
    assert client.post(user_url(worker_chiangmai), data).status_code == 302

    assert signed_out(worker)
    assert not works(client, token)
    worker_chiangmai.refresh_from_db()
    worker.force_login(worker_chiangmai)  # signed in again: no working membership any more
    assert me(worker)["membership"] is None
    assert worker.get(reverse("cases:home")).status_code == 403


def test_a_role_changed_in_the_admin_is_the_role_of_the_next_sign_in(
    client, sysadmin, worker_chiangmai
):
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker)
    client.force_login(sysadmin)
    data = form_data(client, user_url(worker_chiangmai))
    data[membership_field(data, worker_chiangmai.memberships.get(), "role")] = Role.SUPERVISOR
    assert client.post(user_url(worker_chiangmai), data).status_code == 302

    assert signed_out(worker)
    worker_chiangmai.refresh_from_db()
    worker.force_login(worker_chiangmai)
    assert me(worker)["membership"]["role"] == Role.SUPERVISOR


def test_a_superuser_who_deactivates_a_membership_on_its_own_page_ends_its_sessions_audited(
    client, worker_chiangmai
):
    operator = UserFactory(username="root", is_superuser=True, is_staff=True)
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker)
    membership = worker_chiangmai.memberships.get()
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    client.force_login(operator)
    data = form_data(client, url)
    del data["is_active"]
    assert client.post(url, data).status_code == 302

    assert signed_out(worker)
    worker_chiangmai.refresh_from_db()
    worker.force_login(worker_chiangmai)
    assert me(worker)["membership"] is None
    event = AuditEvent.objects.filter(object_id=str(membership.pk)).latest("pk")
    assert event.username == "root" and event.changes["is_active"] is False


def test_a_new_role_given_by_the_service_ends_warm_sessions_and_tokens(client, worker_chiangmai):
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker)
    token = api_token(client)
    warm(client, HTTP_AUTHORIZATION=f"Token {token}")
    membership_add(
        user=worker_chiangmai,
        organisation=Organisation.objects.get(code="shelter-kredtrakarn"),
        role=Role.SHELTER_STAFF,
    )
    assert signed_out(worker)
    assert not works(client, token)


def test_a_revoked_token_fails_on_the_next_request(client, worker_chiangmai):
    token = api_token(client)
    warm(client, HTTP_AUTHORIZATION=f"Token {token}")
    client.force_login(worker_chiangmai)
    prefix = worker_chiangmai.auth_token_set.get().token_key
    client.post(reverse("accounts:token_revoke", args=[prefix]))
    assert not works(client, token)


def test_signing_out_everywhere_ends_a_warm_session_on_its_next_request(client, worker_chiangmai):
    other_device = Client()
    other_device.force_login(worker_chiangmai)
    warm(other_device)
    client.force_login(worker_chiangmai)
    client.post(reverse("accounts:sign_out_everywhere"))
    assert signed_out(other_device)
    assert signed_out(client)


def test_a_new_password_ends_the_other_warm_sessions_and_the_tokens_at_once(
    client, worker_chiangmai
):
    token = api_token(client)
    warm(client, HTTP_AUTHORIZATION=f"Token {token}")
    other_device = Client()
    other_device.force_login(worker_chiangmai)
    warm(other_device)
    client.force_login(worker_chiangmai)
    new = "a-new-and-long-password-2569"
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert signed_out(other_device)
    assert not works(Client(), token)
    assert me(client)["username"] == "somsri"  # the session that changed it stays


def test_an_organisation_deactivated_in_the_admin_is_nobodys_working_one_on_the_next_request(
    client, sysadmin, worker_chiangmai
):
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker, reverse("cases:home"))
    office = Organisation.objects.get(code="pso-50")
    url = reverse("admin:accounts_organisation_change", args=[office.pk])
    client.force_login(sysadmin)
    data = form_data(client, url)
    del data["is_active"]
    assert client.post(url, data).status_code == 302

    assert worker.get(reverse("cases:home")).status_code == 403
    assert me(worker)["membership"] is None


def test_an_office_renamed_in_the_admin_shows_its_new_name_on_the_next_request(
    client, sysadmin, worker_chiangmai
):
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker)
    office = Organisation.objects.get(code="pso-50")
    url = reverse("admin:accounts_organisation_change", args=[office.pk])
    client.force_login(sysadmin)
    data = form_data(client, url)
    data["name_th"] = "สำนักงานเชียงใหม่ (ชื่อใหม่)"
    assert client.post(url, data).status_code == 302
    assert me(worker)["membership"]["organisation"]["name_th"] == "สำนักงานเชียงใหม่ (ชื่อใหม่)"


def test_a_removed_device_no_longer_verifies_the_sessions_signed_in_with_it(
    client, central_reviewer, mfa_on
):
    device = TOTPDevice.objects.create(user=central_reviewer, name="phone", confirmed=True)
    sign_in(client, central_reviewer.username)
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})
    warm(client, reverse("referrals:home"))
    device.delete()  # the lost phone, removed by an administrator
    page = client.get(reverse("referrals:home"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:mfa_setup"))


def test_a_device_set_up_on_another_session_asks_this_one_for_a_code_on_its_next_page(
    client, worker_chiangmai, mfa_on
):
    client.force_login(worker_chiangmai)
    warm(client, reverse("cases:home"))  # a social worker without an app: no code asked
    TOTPDevice.objects.create(user=worker_chiangmai, name="phone", confirmed=True)
    page = client.get(reverse("cases:home"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:mfa_verify"))


def test_the_unread_badge_follows_new_and_read_notifications_on_the_next_page(
    client, worker_chiangmai
):
    client.force_login(worker_chiangmai)
    inbox = reverse("notifications:inbox")
    warm(client, inbox)
    assert client.get(inbox).context["unread_notifications"] == 0
    notify_many([Message(recipients=[worker_chiangmai], text=_("Saved."), email=False)])
    assert client.get(inbox).context["unread_notifications"] == 1
    client.post(reverse("notifications:mark_all_read"))
    assert client.get(inbox).context["unread_notifications"] == 0


def test_a_copy_made_while_a_change_was_committing_is_never_read():
    """A reader that loaded the old rows just before a change committed and stored them just
    after: what it stored must not be served."""
    copies = GenerationCache("test-race", timeout=60)
    rows = {"role": "social_worker"}

    def read_while_changed():
        old = dict(rows)
        rows["role"] = "supervisor"  # the change commits and forgets the copy meanwhile
        copies.forget(7)
        return old

    assert copies.get_or_set(7, read_while_changed) == {"role": "social_worker"}
    assert copies.get_or_set(7, lambda: dict(rows)) == {"role": "supervisor"}
    assert copies.get_or_set(7, lambda: pytest.fail("cached")) == {"role": "supervisor"}


# --- Redis down or partitioned ----------------------------------------------------------------


@pytest.mark.integration
def test_with_redis_stopped_a_signed_in_person_works_from_the_database_and_can_be_signed_out(
    client, request, worker_chiangmai
):
    redis_server = request.getfixturevalue("own_redis")  # the cache on a server of our own
    token = api_token(client)
    header = {"HTTP_AUTHORIZATION": f"Token {token}"}
    warm(client, **header)
    other_device = Client()
    other_device.force_login(worker_chiangmai)
    warm(other_device, reverse("cases:home"))
    client.force_login(worker_chiangmai)
    warm(client, reverse("cases:home"))
    redis_server.stop()

    started = time.monotonic()
    assert client.get(reverse("cases:home")).status_code == 200  # session and all from the DB
    assert time.monotonic() - started < 3  # no hang on the cache; room for a loaded CI box
    assert me(client, **header)["membership"]["role"] == Role.SOCIAL_WORKER
    client.post(reverse("accounts:sign_out_everywhere"))
    assert signed_out(other_device)
    assert not works(client, token)


def test_a_role_ended_while_redis_was_unreachable_is_not_served_from_the_stale_copy(
    client, sysadmin, worker_chiangmai
):
    """A partition: Redis keeps its data but misses the change; when it answers again the copy
    made before the change is still there, and must not be used."""
    worker = Client()
    worker.force_login(worker_chiangmai)
    warm(worker)
    resilient._down_until[0] = time.monotonic() + 3600  # unreachable: reads miss, writes skip
    client.force_login(sysadmin)
    data = form_data(client, user_url(worker_chiangmai))
    del data[membership_field(data, worker_chiangmai.memberships.get(), "is_active")]
    assert client.post(user_url(worker_chiangmai), data).status_code == 302
    resilient._down_until[0] = 0.0  # back, with the old copy in it
    assert cache.get(f"account:{worker_chiangmai.pk}") is not None

    assert signed_out(worker)
    worker_chiangmai.refresh_from_db()
    worker.force_login(worker_chiangmai)
    assert me(worker)["membership"] is None


def test_every_cache_call_of_a_process_goes_through_one_redis_client():
    """Django's Redis cache made a new client per call: a tenth of a request's fixed cost."""
    cache.set("one-client", 1)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert cache.get("one-client") == 1
