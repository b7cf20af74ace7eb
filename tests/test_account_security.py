"""Account security: lockout after repeated failures, two-factor sign-in for the roles that
see every record, a Content-Security-Policy on every page."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.mfa import ENROLMENT_CODE_TRIES, enrolment_code_issue
from audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_on(settings):
    settings.NRM_REQUIRE_MFA = True


def code_for(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits).token()


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_user_name_from_that_address(client, worker_chiangmai):
    for _attempt in range(5):
        sign_in(client, "somsri", "wrong-password")
    locked = sign_in(client, "somsri")  # even the right password now
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "ล็อก" in locked.content.decode() or "ระงับ" in locked.content.decode()


def test_a_success_resets_the_failure_count(client, worker_chiangmai):
    for _attempt in range(3):
        sign_in(client, "somsri", "wrong-password")
    sign_in(client, "somsri")
    client.logout()
    for _attempt in range(3):
        sign_in(client, "somsri", "wrong-password")
    assert sign_in(client, "somsri").status_code == 302


def test_a_central_reviewer_must_set_up_two_factor_sign_in_first(
    client, central_reviewer, sysadmin, mfa_on
):
    enrolment = enrolment_code_issue(user=central_reviewer, actor=sysadmin)
    sign_in(client, central_reviewer.username)
    page = client.get(reverse("referrals:home"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:mfa_setup"))
    first = client.get(page["Location"])
    assert "<svg" not in first.content.decode()  # no secret before the enrolment code
    entered = client.post(page["Location"], {"enrolment_code": enrolment.lower()})
    assert entered.status_code == 302
    setup = client.get(page["Location"])
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=central_reviewer, confirmed=False)
    wrong = client.post(page["Location"], {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    # django-otp throttles the try after a failure; a person would wait a second.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(page["Location"], {"code": code_for(device)})
    assert done["Location"] == reverse("referrals:home")
    assert client.get(reverse("referrals:home")).status_code == 200


def test_a_central_reviewer_with_a_device_enters_a_code_at_each_sign_in(
    client, central_reviewer, mfa_on
):
    device = TOTPDevice.objects.create(user=central_reviewer, name="phone", confirmed=True)
    sign_in(client, central_reviewer.username)
    page = client.get(reverse("referrals:home"))
    assert page["Location"].startswith(reverse("accounts:mfa_verify"))
    verified = client.post(page["Location"], {"code": code_for(device)})
    assert verified.status_code == 302
    assert client.get(reverse("referrals:home")).status_code == 200


def test_a_social_worker_needs_no_second_factor_unless_everyone_does(
    client, worker_chiangmai, mfa_on, settings
):
    sign_in(client, "somsri")
    assert client.get(reverse("cases:home")).status_code == 200
    settings.NRM_MFA_FOR_ALL = True
    assert client.get(reverse("cases:home")).status_code == 302


def test_an_api_token_for_a_two_factor_user_needs_the_code(central_reviewer, mfa_on):
    device = TOTPDevice.objects.create(user=central_reviewer, name="phone", confirmed=True)
    api = APIClient()
    refused = api.post(
        "/api/v1/auth/token/", {"username": central_reviewer.username, "password": PASSWORD}
    )
    assert refused.status_code == 400 and "otp" in refused.json()["errors"]
    granted = api.post(
        "/api/v1/auth/token/",
        {"username": central_reviewer.username, "password": PASSWORD, "otp": code_for(device)},
    )
    assert granted.status_code == 200 and granted.json()["token"]


def test_every_page_carries_a_content_security_policy(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    page = client.get(reverse("cases:home"))
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_social_worker_who_set_up_an_app_is_asked_for_its_code(client, worker_chiangmai, mfa_on):
    device = TOTPDevice.objects.create(user=worker_chiangmai, name="phone", confirmed=True)
    sign_in(client, "somsri")
    page = client.get(reverse("cases:home"))
    assert page["Location"].startswith(reverse("accounts:mfa_verify"))
    verified = client.post(page["Location"], {"code": code_for(device)})
    assert verified.status_code == 302
    assert client.get(reverse("cases:home")).status_code == 200


def test_a_password_alone_cannot_tie_a_phone_to_the_account(
    client, central_reviewer, sysadmin, mfa_on
):
    """Issue 24: enrolment was trust-on-first-use; now it needs the administrator's code,
    which works once and is burnt by repeated wrong tries."""
    sign_in(client, central_reviewer.username)
    url = reverse("accounts:mfa_setup")
    assert client.post(url, {"enrolment_code": "AAAAA-AAAAA"}).status_code == 200  # none issued
    assert not TOTPDevice.objects.filter(user=central_reviewer).exists()
    enrolment = enrolment_code_issue(user=central_reviewer, actor=sysadmin)
    for _try in range(ENROLMENT_CODE_TRIES):
        refused = client.post(url, {"enrolment_code": "BBBBB-BBBBB"})
        assert refused.status_code == 200 and refused.context["form"].errors
    burnt = client.post(url, {"enrolment_code": enrolment})
    assert burnt.status_code == 200  # the right code, too late
    assert "<svg" not in client.get(url).content.decode()
    with pytest.raises(ValueError):
        enrolment_code_issue(user=sysadmin, actor=sysadmin)


def test_the_sysadmin_issues_an_enrolment_code_in_the_admin(client, sysadmin, central_reviewer):
    client.force_login(sysadmin)
    page = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "issue_enrolment_code", "_selected_action": [central_reviewer.pk]},
        follow=True,
    )
    assert central_reviewer.enrolment_codes.filter(used_at__isnull=True).count() == 1
    assert central_reviewer.username in page.content.decode()


def test_a_user_changes_their_password_and_their_other_devices_sign_in_again(
    client, worker_chiangmai
):
    other_device = Client()
    other_device.force_login(worker_chiangmai)
    client.force_login(worker_chiangmai)
    new = "a-new-and-long-password-2569"
    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert client.get(reverse("cases:home")).status_code == 200  # this session stays
    assert other_device.get(reverse("cases:home")).status_code == 302
    assert AuditEvent.objects.filter(username="somsri", changes__password="changed").exists()


def test_an_administrator_sends_a_one_time_reset_link(client, sysadmin, worker_chiangmai):
    worker_chiangmai.email = "somsri@example.org"
    worker_chiangmai.save()
    client.force_login(sysadmin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [worker_chiangmai.pk]},
    )
    [email] = mail.outbox
    link = re.search(r"https?://\S+", email.body).group(0)
    assert "somsri@example.org" in email.to and "ตั้งรหัสผ่านใหม่" in email.subject
    client.logout()
    form = client.get(link, follow=True)
    new = "chosen-by-somsri-2569"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    worker_chiangmai.refresh_from_db()
    assert worker_chiangmai.check_password(new)
    again = client.get(link, follow=True)
    assert 'data-testid="link-expired"' in again.content.decode()  # it worked once
