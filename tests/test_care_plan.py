"""A resident's care plan is kept up to date (issue 15): an item's status, due date and note
change through a service that keeps every earlier version, on the stay's page and in the
audit log; nothing is changed after the person left or by another shelter."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.domain import ActionForbidden, TransitionNotAllowed
from shelters import services
from tests.factories import admission, member


@pytest.fixture
def item(worker_chiangmai, director_kredtrakarn, staff_kredtrakarn):
    placement = admission(worker_chiangmai, director_kredtrakarn, person={"estimated_age": 30})
    return services.care_plan_item_add(
        placement_id=placement.pk, actor=staff_kredtrakarn, service="psychosocial"
    )


@pytest.mark.django_db
def test_an_update_keeps_the_earlier_versions(item, staff_kredtrakarn, director_kredtrakarn):
    services.care_plan_item_update(
        item_id=item.pk, actor=staff_kredtrakarn, status="in_progress", note="นัดนักจิตวิทยา"
    )
    services.care_plan_item_update(
        item_id=item.pk, actor=director_kredtrakarn, status="done", note="ครบ 6 ครั้ง"
    )
    item.refresh_from_db()
    assert item.status == "done"
    history = list(item.history.values_list("status", "note", "changed_by"))
    assert history == [
        ("planned", "", staff_kredtrakarn.pk),
        ("in_progress", "นัดนักจิตวิทยา", staff_kredtrakarn.pk),
        ("done", "ครบ 6 ครั้ง", director_kredtrakarn.pk),
    ]
    update = AuditEvent.objects.filter(action="update", object_id=str(item.pk)).latest("pk")
    assert update.changes["status"] == ["in_progress", "done"]


@pytest.mark.django_db
def test_a_due_date_before_the_admission_is_refused(item, staff_kredtrakarn):
    before = timezone.localdate(item.placement.admitted_at) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.care_plan_item_update(
            item_id=item.pk, actor=staff_kredtrakarn, status="planned", due_on=before
        )
    assert "due_on" in error.value.message_dict
    assert item.history.count() == 1


@pytest.mark.django_db
def test_nothing_changes_after_the_person_left(item, staff_kredtrakarn, director_kredtrakarn):
    services.placement_discharge(
        placement_id=item.placement_id, actor=director_kredtrakarn, reason="reintegrated"
    )
    with pytest.raises(TransitionNotAllowed):
        services.care_plan_item_update(item_id=item.pk, actor=staff_kredtrakarn, status="done")


@pytest.mark.django_db
def test_another_shelter_cannot_change_it(item):
    other = member("shelter_director", "shelter-narisawat", username="dir.narisawat")
    with pytest.raises(ActionForbidden):
        services.care_plan_item_update(item_id=item.pk, actor=other, status="done")


@pytest.mark.django_db
def test_the_stay_page_updates_an_item_and_shows_its_history(client, item, staff_kredtrakarn):
    client.force_login(staff_kredtrakarn)
    url = reverse("shelters:care_plan_item", args=[item.placement_id, item.pk])
    prefix = f"item{item.pk}"
    refused = client.post(url, {f"{prefix}-status": "done", f"{prefix}-due_on": "1/1/2500"})
    assert refused.status_code == 302
    item.refresh_from_db()
    assert item.status == "planned"  # a due date before the admission: nothing saved
    client.post(url, {f"{prefix}-status": "in_progress", f"{prefix}-note": "เริ่มแล้ว"})
    page = client.get(item.placement.get_absolute_url()).content.decode()
    assert 'data-testid="care-history"' in page
    assert "เริ่มแล้ว" in page and "กำลังดำเนินการ" in page  # "in progress", in Thai
