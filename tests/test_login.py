"""Signing in and out, in Thai by default, with every attempt in the audit log."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_signed_out_visitor_is_sent_to_the_thai_sign_in_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.headers["Content-Language"] == "th"
    assert "เข้าสู่ระบบ" in response.content.decode()


def test_a_social_worker_signs_in_and_lands_on_their_work(client, worker_chiangmai):
    response = client.post(
        reverse("accounts:login"),
        {"username": "somsri", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cases:home")
    assert response.context["user"] == worker_chiangmai
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor == worker_chiangmai
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_password_is_refused_with_a_thai_message_and_audited(client, worker_chiangmai):
    response = client.post(
        reverse("accounts:login"), {"username": "somsri", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.username == "somsri"
    assert failed.actor is None


def test_an_inactive_account_cannot_sign_in(client, worker_chiangmai):
    worker_chiangmai.is_active = False
    worker_chiangmai.save()
    response = client.post(reverse("accounts:login"), {"username": "somsri", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session_and_is_audited(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cases:home")).status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=worker_chiangmai).exists()


def test_signing_out_needs_a_post_so_a_link_cannot_sign_anyone_out(client, worker_chiangmai):
    client.force_login(worker_chiangmai)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_the_sign_in_form_is_protected_against_cross_site_posts(worker_chiangmai):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "somsri", "password": PASSWORD})
    assert response.status_code == 403
