"""Blockers (issue 20): "waiting because ..." on a screening, a referral or a stay, from
coded reasons, with its start and end; its time in the stage figures; the most frequent ones
nationally and by province."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from insights import services
from insights.figures import Filters, stage_figures
from insights.models import Blocker
from insights.spans import count_stage_spans
from notifications.models import Notification
from referrals import services as referrals
from tests.factories import admission, referral_in_state, screening_in_state

pytestmark = pytest.mark.django_db


def blockers_of(case) -> str:
    """The case page's "waiting because ..." section, which comes when it scrolls into view."""
    return reverse("cases:case_section", args=[case.pk, "blockers"])


def start(actor, screening, **fields):
    fields = {"reason": "no_interpreter", "language": "my"} | fields
    return services.blocker_start(actor=actor, record="screening", record_id=screening.pk, **fields)


def test_a_worker_records_the_wait_and_its_end_from_the_case_page(
    client, worker_chiangmai, supervisor_chiangmai
):
    screening = screening_in_state(worker_chiangmai, "open")
    client.force_login(worker_chiangmai)
    page = client.get(blockers_of(screening.case))
    assert 'data-testid="blockers-card"' in page.content.decode()
    url = reverse("insights:blocker_start", args=["screening", screening.pk])
    response = client.post(url, {"reason": "no_interpreter", "language": "my", "note": ""})
    assert response.status_code == 302
    blocker = Blocker.objects.get()
    assert (blocker.screening, blocker.case, blocker.ended_at) == (screening, screening.case, None)
    assert "ไม่มีล่าม" in client.get(blockers_of(screening.case)).content.decode()
    assert AuditEvent.objects.filter(action="create", object_id=str(blocker.pk)).exists()
    told = Notification.objects.get(recipient=supervisor_chiangmai)
    assert screening.case.number in told.message
    client.post(reverse("insights:blocker_end", args=[blocker.pk]))
    blocker.refresh_from_db()
    assert blocker.ended_at is not None and blocker.ended_by == worker_chiangmai


def test_the_wait_form_comes_when_opened_and_only_to_those_the_record_waits_on(
    client, worker_chiangmai, worker_tak
):
    """The case page offers a toggle and a link per running record, not a form with its long
    language list: the form comes from the record's address (a fragment for htmx, a page of
    its own without JavaScript); another office gets no form (it does not see the record), nor
    does anyone for a finished record."""
    screening = screening_in_state(worker_chiangmai, "open")
    url = reverse("insights:blocker_start", args=["screening", screening.pk])
    client.force_login(worker_chiangmai)
    page = client.get(blockers_of(screening.case)).content.decode()
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert '<select name="language"' not in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert '<select name="language"' in fragment and '<select name="reason"' in fragment
    assert "<html" in client.get(url).content.decode()
    client.force_login(worker_tak)
    assert client.get(url).status_code == 404
    screening.status = "decided"
    screening.save(update_fields=["status"])
    client.force_login(worker_chiangmai)
    assert client.get(url).status_code == 403
    assert f'href="{url}"' not in client.get(blockers_of(screening.case)).content.decode()


def test_a_shelter_is_offered_no_wait_on_a_draft_referral_it_does_not_see(
    client, worker_chiangmai, director_kredtrakarn
):
    """The waiting section reads the case's records by the shown case, but a referral through
    the user's own referrals: a draft to the shelter, not yet sent, is not the shelter's to see
    (nor to say it waits), though the shelter sees the case through its resident's stay."""
    placement = admission(worker_chiangmai, director_kredtrakarn)
    draft = referrals.referral_create(
        actor=worker_chiangmai,
        case_id=placement.case_id,
        to_organisation=director_kredtrakarn.membership.organisation,
        kind="service",
        reason="ติดตาม",
        consent="given",
        consent_now=True,
    )
    client.force_login(director_kredtrakarn)
    page = client.get(blockers_of(placement.case)).content.decode()
    assert f'data-testid="wait-placement-{placement.pk}"' in page
    assert f'data-testid="wait-referral-{draft.pk}"' not in page


def test_one_open_wait_per_record_and_the_database_holds_to_it(worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    first = start(worker_chiangmai, screening)
    with pytest.raises(TransitionNotAllowed):
        start(worker_chiangmai, screening, reason="police")
    with pytest.raises(IntegrityError), transaction.atomic():
        Blocker.objects.create(
            case=first.case,
            screening=screening,
            reason="police",
            organisation=first.organisation,
            started_at=timezone.now(),
            started_by=worker_chiangmai,
        )
    services.blocker_end(actor=worker_chiangmai, blocker_id=first.pk)
    with pytest.raises(TransitionNotAllowed):
        services.blocker_end(actor=worker_chiangmai, blocker_id=first.pk)
    assert start(worker_chiangmai, screening, reason="police").reason == "police"


def test_other_needs_its_reason_in_words(client, worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open")
    client.force_login(worker_chiangmai)
    url = reverse("insights:blocker_start", args=["screening", screening.pk])
    response = client.post(url, {"reason": "other", "note": " "}, follow=True)
    assert not Blocker.objects.exists()
    assert "โปรดระบุเหตุที่ต้องรอ" in response.content.decode()


def test_a_refused_wait_comes_back_with_the_reason_at_its_field_and_the_input_kept(
    client, worker_chiangmai
):
    screening = screening_in_state(worker_chiangmai, "open")
    client.force_login(worker_chiangmai)
    url = reverse("insights:blocker_start", args=["screening", screening.pk])
    refused = client.post(url, {"reason": "other", "note": " "})
    assert refused.status_code == 200  # the form's page, not the case page's banner
    form = refused.context["form"]
    assert form.errors == {"note": ["โปรดระบุเหตุที่ต้องรอ"]}
    assert form["reason"].value() == "other"
    assert 'value="other" selected' in refused.content.decode()
    assert not Blocker.objects.exists()
    start(worker_chiangmai, screening)
    already = client.post(url, {"reason": "police"})
    assert already.status_code == 200
    assert already.context["form"].non_field_errors() == [
        "รายการนี้กำลังรออยู่แล้ว โปรดบันทึกการสิ้นสุดการรอเดิมก่อน"
    ]


def test_only_the_offices_the_record_waits_on_say_it_waits(
    client, worker_chiangmai, worker_tak, central_reviewer, director_kredtrakarn
):
    screening = screening_in_state(worker_chiangmai, "open")
    client.force_login(worker_tak)
    url = reverse("insights:blocker_start", args=["screening", screening.pk])
    assert client.post(url, {"reason": "police"}).status_code == 404  # not even seen
    with pytest.raises(ActionForbidden):
        start(central_reviewer, screening)
    # A referral waits on its sender and on the shelter that receives it.
    referral = referral_in_state(worker_chiangmai, "submitted")
    blocker = services.blocker_start(
        actor=director_kredtrakarn, record="referral", record_id=referral.pk, reason="no_bed"
    )
    assert blocker.organisation == director_kredtrakarn.membership.organisation
    assert not Blocker.objects.filter(screening=screening).exists()


def test_a_finished_record_waits_for_nothing(worker_chiangmai):
    decided = screening_in_state(worker_chiangmai, "decided")
    with pytest.raises(TransitionNotAllowed):
        start(worker_chiangmai, decided)


def test_the_time_waited_shows_in_the_stage_figures(worker_chiangmai, central_reviewer):
    custody = timezone.now() - dt.timedelta(hours=10)
    screening = screening_in_state(worker_chiangmai, "open", custody_started_at=custody)
    blocker = start(worker_chiangmai, screening)
    Blocker.objects.filter(pk=blocker.pk).update(
        started_at=custody + dt.timedelta(hours=1), ended_at=custody + dt.timedelta(hours=5)
    )
    # Decided now, ten hours after custody began: four of them waiting for an interpreter.
    from cases import services as cases
    from tests.factories import ready_to_decide

    ready_to_decide(screening, worker_chiangmai)
    cases.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason="r"
    )
    count_stage_spans()
    today = timezone.localdate()
    figures = stage_figures(
        user=central_reviewer, filters=Filters(start=today - dt.timedelta(days=1), end=today)
    )
    [identification] = [f.groups[0] for f in figures if f.stage.key == "identification"]
    assert identification.blocked == pytest.approx(4 * 3600, abs=1)
    assert identification.blocked_count == 1
    assert identification.blocked_share == pytest.approx(40, abs=0.5)


def test_the_ten_most_frequent_blockers_nationally_and_by_province(
    client, worker_chiangmai, worker_tak, central_reviewer, supervisor_chiangmai
):
    for worker, reason in [(worker_chiangmai, "police")] * 2 + [(worker_tak, "documents")]:
        start(worker, screening_in_state(worker, "open"), reason=reason, language="")
    client.force_login(central_reviewer)
    text = client.get(reverse("insights:blockers")).content.decode()
    national = text.split('data-testid="top-national"')[1].split("</table>")[0]
    assert national.index("รอตำรวจ") < national.index("รอเอกสาร")
    assert 'data-testid="top-50"' in text and 'data-testid="top-63"' in text
    client.force_login(supervisor_chiangmai)
    text = client.get(reverse("insights:blockers")).content.decode()
    assert "รอเอกสาร" not in text  # Tak's wait is not the Chiang Mai office's to see


def test_a_wait_outside_the_stage_counts_nothing_in_either_database(
    worker_chiangmai, central_reviewer
):
    """A record's blocker that lies outside the stage's time adds no waiting, neither in
    PostgreSQL's count nor in the embedded database's (in Python), which once met a NULL."""
    from cases import services as cases
    from insights.dimensions import DIMENSIONS
    from insights.figures import _in_database, in_python, stage_rows
    from insights.stages import STAGES
    from tests.factories import ready_to_decide

    custody = timezone.now() - dt.timedelta(hours=10)
    screening = screening_in_state(worker_chiangmai, "open", custody_started_at=custody)
    blocker = start(worker_chiangmai, screening)
    Blocker.objects.filter(pk=blocker.pk).update(
        started_at=custody - dt.timedelta(hours=5), ended_at=custody - dt.timedelta(hours=4)
    )
    ready_to_decide(screening, worker_chiangmai)
    cases.screening_decide(
        screening_id=screening.pk, actor=worker_chiangmai, outcome="victim_trafficking", reason="r"
    )
    count_stage_spans()
    today = timezone.localdate()
    filters = Filters(start=today - dt.timedelta(days=1), end=today)
    [stage] = [stage for stage in STAGES if stage.key == "identification"]
    rows = stage_rows(stage, user=central_reviewer, filters=filters)
    for figures in (
        _in_database(rows, DIMENSIONS[0], stage),
        in_python(rows, DIMENSIONS[0], stage),
    ):
        [numbers] = [numbers for numbers in figures.values() if numbers["count"]]
        assert numbers["blocked"] == 0 and numbers["blocked_count"] == 0
