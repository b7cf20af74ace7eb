"""Account security: lockout after repeated failures, two-factor sign-in for the roles that
see every record, a Content-Security-Policy on every page."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

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


def test_a_central_reviewer_must_set_up_two_factor_sign_in_first(client, central_reviewer, mfa_on):
    sign_in(client, central_reviewer.username)
    page = client.get(reverse("referrals:home"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:mfa_setup"))
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
    assert refused.status_code == 400 and "otp" in refused.json()
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
