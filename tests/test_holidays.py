"""Holidays kept by a sysadmin on top of the `holidays` package's calendar (issue 17): a day the
cabinet declares a holiday, or a public holiday worked this year, changes the working-day
clocks opened after it; a clock already running keeps its due date. Only a sysadmin changes
the calendar, every change with a note and an audit event; bad input is told in Thai."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.dates import input_date
from core.domain import ActionForbidden
from referrals.models import Referral
from sla import services
from sla.calendar import is_package_holiday, is_working_day, package_holidays
from sla.models import Clock, ClockPolicy, Deadline, HolidayChange, Unit
from tests.factories import referral_in_state

pytestmark = pytest.mark.django_db

CABINET = "มติคณะรัฐมนตรี 1 ธ.ค. 2569: วันหยุดราชการเป็นกรณีพิเศษ"


def next_working_day(after: dt.date) -> dt.date:
    day = after + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def next_weekday_package_holiday() -> dt.date:
    """The first public holiday of the package after today that falls on a weekday."""
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() >= 5 or not is_package_holiday(day):
        day += dt.timedelta(days=1)
    return day


def next_saturday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)


def clock(referral: Referral, name: str) -> Deadline:
    return Deadline.objects.get(
        clock=name,
        object_type=ContentType.objects.get_for_model(Referral),
        object_id=referral.pk,
    )


def due_date(deadline: Deadline) -> dt.date:
    return timezone.localtime(deadline.due_at).date()


def post_change(client, day: dt.date, kind: str = "added", note: str = CABINET):
    """The sysadmin's form, the date typed as on a Thai page (dd/mm/yyyy in the Buddhist era)."""
    return client.post(
        reverse("sla:holidays"), {"date": input_date(day, "th"), "kind": kind, "note": note}
    )


def test_the_referral_clocks_are_counted_in_working_days():
    """The clocks the tests below watch are among those a holiday moves (DESIGN.md §5)."""
    units = dict(ClockPolicy.objects.values_list("clock", "due_unit"))
    assert units[Clock.REFERRAL_ACK_NORMAL] == Unit.WORKING_DAYS
    assert units[Clock.CENTRAL_REVIEW] == Unit.WORKING_DAYS


def test_a_holiday_added_by_the_sysadmin_moves_a_working_day_deadline_opened_after_it(
    client, sysadmin, worker_chiangmai
):
    before = referral_in_state(worker_chiangmai, "submitted")
    first_ack, first_review = (
        clock(before, Clock.REFERRAL_ACK_NORMAL),
        clock(before, Clock.CENTRAL_REVIEW),
    )
    holiday = next_working_day(timezone.localdate())
    assert due_date(first_ack) == holiday  # one working day to acknowledge: that very day

    client.force_login(sysadmin)
    response = post_change(client, holiday)
    assert response.status_code == 302
    assert not is_working_day(holiday)

    after = referral_in_state(worker_chiangmai, "submitted")
    # Acknowledged a working day later, the central review due a working day later too.
    assert due_date(clock(after, Clock.REFERRAL_ACK_NORMAL)) == next_working_day(holiday)
    assert due_date(clock(after, Clock.CENTRAL_REVIEW)) == next_working_day(due_date(first_review))
    # The referral sent before the change keeps the due dates it was given.
    assert clock(before, Clock.REFERRAL_ACK_NORMAL).due_at == first_ack.due_at
    assert clock(before, Clock.CENTRAL_REVIEW).due_at == first_review.due_at


def test_a_removed_public_holiday_counts_as_a_working_day(client, sysadmin):
    holiday = next_weekday_package_holiday()
    eve = timezone.make_aware(dt.datetime.combine(holiday - dt.timedelta(days=1), dt.time(10)))
    due_before = services.due_at_for(clock=Clock.REFERRAL_ACK_NORMAL, start=eve)
    assert due_before.date() > holiday

    client.force_login(sysadmin)
    assert post_change(client, holiday, kind="removed").status_code == 302

    assert is_working_day(holiday)
    due_after = services.due_at_for(clock=Clock.REFERRAL_ACK_NORMAL, start=eve)
    assert due_after == timezone.make_aware(dt.datetime.combine(holiday, dt.time(10)))


def test_a_deleted_change_gives_the_day_back_to_the_package_calendar(client, sysadmin):
    holiday = next_working_day(timezone.localdate())
    client.force_login(sysadmin)
    post_change(client, holiday)
    change = HolidayChange.objects.get(date=holiday)

    response = client.post(reverse("sla:holiday_withdraw", args=[change.pk]))

    assert response.status_code == 302
    assert is_working_day(holiday)
    change.refresh_from_db()
    assert change.withdrawn_by == sysadmin  # kept, out of the calendar
    page = client.get(reverse("sla:holidays"), {"year": holiday.year}).content.decode()
    assert "การเปลี่ยนแปลงที่ลบแล้ว" in page
    # Deleted twice (a second tab): told, nothing more written.
    client.post(reverse("sla:holiday_withdraw", args=[change.pk]))
    assert AuditEvent.objects.filter(object_id=str(change.pk), action="update").count() == 1


def test_every_change_writes_the_audit_log(client, sysadmin):
    holiday = next_working_day(timezone.localdate())
    client.force_login(sysadmin)
    post_change(client, holiday)
    change = HolidayChange.objects.get(date=holiday)
    client.post(reverse("sla:holiday_withdraw", args=[change.pk]))

    events = AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(HolidayChange), object_id=str(change.pk)
    ).order_by("pk")
    created, deleted = events
    assert (created.action, created.actor) == (AuditEvent.Action.CREATE, sysadmin)
    assert created.changes == {"date": holiday.isoformat(), "kind": "added", "note": CABINET}
    assert (deleted.action, deleted.actor) == (AuditEvent.Action.UPDATE, sysadmin)
    assert deleted.changes["withdrawn"] is True


def test_the_page_lists_the_years_holidays_and_changes_in_the_buddhist_era(client, sysadmin):
    holiday = next_working_day(timezone.localdate())
    client.force_login(sysadmin)
    post_change(client, holiday)

    response = client.get(reverse("sla:holidays"), {"year": holiday.year})

    page = response.content.decode()
    assert f"วันหยุดราชการ พ.ศ. {holiday.year + 543}" in page
    assert f"{holiday.day} " in page and str(holiday.year + 543) in page
    assert CABINET in page and sysadmin.display_name in page
    songkran = dt.date(holiday.year, 4, 13)
    assert package_holidays(holiday.year, "th")[songkran] in page  # วันสงกรานต์
    assert f"13 เม.ย. {holiday.year + 543}" in page
    # The help says which clocks move and which do not.
    assert "กำหนดเวลาที่เริ่มนับไปแล้วยังคงวันครบกำหนดเดิม" in page
    # The sysadmin reaches it from the menu; a Buddhist-era year in the address works too.
    assert f'href="{reverse("sla:holidays")}"' in page
    same = client.get(reverse("sla:holidays"), {"year": holiday.year + 543})
    assert same.context["year"] == holiday.year


@pytest.mark.parametrize(
    "persona",
    [
        "worker_chiangmai",
        "supervisor_chiangmai",
        "director_kredtrakarn",
        "staff_kredtrakarn",
        "central_reviewer",
    ],
)
def test_only_a_sysadmin_changes_the_holidays(client, request, sysadmin, persona):
    holiday = next_working_day(timezone.localdate())
    change = services.holiday_change_add(actor=sysadmin, day=holiday, kind="added", note=CABINET)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    writes = AuditEvent.objects.filter(action__in=["create", "update"]).count()

    assert client.get(reverse("sla:holidays")).status_code == 403
    other_day = next_working_day(holiday)
    assert post_change(client, other_day).status_code == 403
    assert client.post(reverse("sla:holiday_withdraw", args=[change.pk])).status_code == 403

    assert list(HolidayChange.objects.filter(withdrawn_at__isnull=True)) == [change]
    assert AuditEvent.objects.filter(action__in=["create", "update"]).count() == writes
    with pytest.raises(ActionForbidden):
        services.holiday_change_add(actor=user, day=other_day, kind="added", note=CABINET)


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("sla:holidays"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _bad_inputs():
    """(what, date, kind, note, the Thai words the page must show)."""
    return [
        (
            "already a holiday",
            next_weekday_package_holiday,
            "added",
            CABINET,
            "เป็นวันหยุดราชการอยู่แล้ว",
        ),
        (
            "removing a working day",
            lambda: next_working_day(timezone.localdate()),
            "removed",
            CABINET,
            "ไม่ใช่วันหยุดราชการในปฏิทิน",
        ),
        ("no note", lambda: next_working_day(timezone.localdate()), "added", "  ", "กรุณาระบุเหตุผล"),
        ("a weekend", next_saturday, "added", CABINET, "เป็นวันเสาร์หรือวันอาทิตย์"),
        (
            "a day past",
            lambda: timezone.localdate() - dt.timedelta(days=7),
            "added",
            CABINET,
            "ผ่านมาแล้ว",
        ),
    ]


@pytest.mark.parametrize("case", range(5), ids=[case[0] for case in _bad_inputs()])
def test_bad_input_is_refused_with_a_thai_message(client, sysadmin, case):
    _what, day, kind, note, words = _bad_inputs()[case]
    day = day()
    client.force_login(sysadmin)

    response = post_change(client, day, kind=kind, note=note)

    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    if note.strip():
        assert f"{day.day} " in page and str(day.year + 543) in page  # the date, Buddhist era
    assert not HolidayChange.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_the_service_itself_refuses_a_change_without_a_note(sysadmin):
    """The page's form asks for the note; the service refuses without one whoever calls it."""
    with pytest.raises(ValidationError) as refused:
        services.holiday_change_add(
            actor=sysadmin, day=next_working_day(timezone.localdate()), kind="added", note=" "
        )
    assert set(refused.value.message_dict) == {"note"}
    assert not HolidayChange.objects.exists()


def test_a_day_already_changed_is_refused_until_the_change_is_deleted(client, sysadmin):
    holiday = next_working_day(timezone.localdate())
    client.force_login(sysadmin)
    post_change(client, holiday)

    page = post_change(client, holiday, kind="removed").content.decode()

    assert "มีการเปลี่ยนแปลงอยู่แล้ว" in page
    assert HolidayChange.objects.count() == 1


def test_the_page_is_thai_and_every_control_labelled(client, sysadmin):
    from tests.test_accessibility import problems
    from tests.test_no_english import ALLOWED, VisibleText, data_words, english_words

    holiday = next_working_day(timezone.localdate())
    services.holiday_change_add(actor=sysadmin, day=holiday, kind="added", note=CABINET)
    client.force_login(sysadmin)
    html = client.get(reverse("sla:holidays"), {"year": holiday.year}).content.decode()

    page = VisibleText()
    page.feed(html)
    assert english_words(" ".join(page.text), ALLOWED | data_words()) == []
    assert problems(html) == []
