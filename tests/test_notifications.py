"""The in-app inbox and the e-mail outbox: each message in its recipient's language, sent once,
retried with a pause when the mail server fails, never lost when the broker is down."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import services
from notifications.models import Delivery, Notification
from sla.selectors import running_deadlines_of
from tests.factories import register_case

pytestmark = pytest.mark.django_db

MESSAGE = _("Referral of case {number} accepted")


def notify(*, recipients, message, link=""):
    return services.notify_many([services.Message(recipients, message, link)])


@pytest.fixture(autouse=True)
def outbox_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_each_recipient_reads_the_message_in_their_own_language(
    django_capture_on_commit_callbacks, worker_chiangmai, worker_tak, monkeypatch
):
    from django.utils.text import format_lazy

    monkeypatch.setattr(services, "request_delivery", lambda: None)
    worker_tak.language = "en"
    worker_tak.save()
    notify(
        recipients=[worker_chiangmai, worker_tak, worker_tak],
        message=format_lazy(MESSAGE, number="NRM-2569-50-000001"),
        link="/cases/1/",
    )
    assert Notification.objects.get(recipient=worker_tak).message == (
        "Referral of case NRM-2569-50-000001 accepted"
    )
    assert "ตอบรับ" in Notification.objects.get(recipient=worker_chiangmai).message
    assert Delivery.objects.filter(state="pending").count() == 2


def test_the_outbox_sends_each_email_once_in_the_recipients_language(worker_chiangmai, monkeypatch):
    monkeypatch.setattr(services, "request_delivery", lambda: None)
    notify(recipients=[worker_chiangmai], message=_("Saved."), link="/cases/")
    assert services.outbox_deliver() == 1
    assert services.outbox_deliver() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [worker_chiangmai.email]
    assert email.subject.startswith("[NRM]")
    assert "เรียน" in email.body and "http://127.0.0.1:8000/cases/" in email.body
    assert email.alternatives[0][1] == "text/html"
    assert Delivery.objects.get().state == "sent"


def test_a_user_who_turned_email_off_gets_only_the_inbox(client, worker_chiangmai, monkeypatch):
    monkeypatch.setattr(services, "request_delivery", lambda: None)
    client.force_login(worker_chiangmai)
    assert client.post(reverse("notifications:preferences"), {}).status_code == 302
    notify(recipients=[worker_chiangmai], message=_("Saved."))
    assert Notification.objects.count() == 1
    assert not Delivery.objects.exists()


def test_a_failing_mail_server_is_retried_later_then_given_up(worker_chiangmai, monkeypatch):
    monkeypatch.setattr(services, "request_delivery", lambda: None)
    notify(recipients=[worker_chiangmai], message=_("Saved."))

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    now = timezone.now()
    assert services.outbox_deliver(now=now) == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at > now
    assert "SMTPServerDisconnected" in delivery.last_error
    assert services.outbox_deliver(now=now) == 0  # not due again yet
    assert Delivery.objects.get().attempts == 1
    for _attempt in range(services.MAX_ATTEMPTS):
        services.outbox_deliver(now=timezone.now() + dt.timedelta(days=1))
    assert Delivery.objects.get().state == "failed"


def test_an_email_claimed_by_a_worker_that_died_is_sent_again(worker_chiangmai, monkeypatch):
    monkeypatch.setattr(services, "request_delivery", lambda: None)
    notify(recipients=[worker_chiangmai], message=_("Saved."))
    Delivery.objects.update(state="sending", claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert services.outbox_deliver() == 1


def test_a_broker_that_is_down_does_not_fail_the_change(
    django_capture_on_commit_callbacks, worker_chiangmai, monkeypatch
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks.deliver_outbox, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[worker_chiangmai], message=_("Saved."))
    assert Delivery.objects.get().state == "pending"


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    client, worker_chiangmai, worker_tak, monkeypatch
):
    monkeypatch.setattr(services, "request_delivery", lambda: None)
    [notification] = notify(recipients=[worker_chiangmai], message=_("Saved."), link="/cases/")
    client.force_login(worker_tak)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    client.force_login(worker_chiangmai)
    assert client.get(reverse("notifications:inbox")).context["unread_notifications"] == 1
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == "/cases/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_my_deadlines_lists_the_running_clocks_of_my_office(
    client, worker_chiangmai, worker_tak, sysadmin
):
    from cases.services import screening_start

    case = register_case(worker_chiangmai)
    screening_start(case_id=case.pk, actor=worker_chiangmai, custody_started_at=timezone.now())
    client.force_login(worker_chiangmai)
    rows = client.get(reverse("sla:mine")).context["rows"]
    assert [(row.deadline.clock, row.case_number) for row in rows] == [
        ("identification", case.number)
    ]
    assert not running_deadlines_of(user=worker_tak).exists()
    assert not running_deadlines_of(user=sysadmin).exists()


def test_an_email_that_can_never_be_built_ends_failed_not_retried_forever(
    worker_chiangmai, monkeypatch
):
    monkeypatch.setattr(services, "request_delivery", lambda: None)
    notify(recipients=[worker_chiangmai], message=_("Saved."))

    def broken(notification):
        raise ValueError("template error")

    monkeypatch.setattr(services, "_email", broken)
    for _attempt in range(services.MAX_ATTEMPTS + 1):
        services.outbox_deliver(now=timezone.now() + dt.timedelta(days=1))
    assert Delivery.objects.get().state == "failed"
