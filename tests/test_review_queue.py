"""The central review queue opens on what waits for the reviewer, its filter shows the rest,
every shaded row is explained on the page, and a decline's redirect offers organisations by
kind, shelters first with their free beds now."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organisation
from referrals.models import Referral
from referrals.selectors import RECEIVER_GROUPS
from shelters.models import ShelterUnit
from sla.models import Deadline
from tests.factories import referral_in_state

pytestmark = pytest.mark.django_db

ROW_CLASS = re.compile(r'<tr class="(table-\w+)"')
# Each shading a referral row may have, and the legend entry that explains it.
LEGEND = {"table-danger": "legend-overdue", "table-warning": "legend-urgent"}


def queue(client, **params) -> list[int]:
    response = client.get(reverse("referrals:home"), params)
    assert response.status_code == 200
    return sorted(referral.pk for referral in response.context["queue"])


@pytest.fixture
def referrals(worker_chiangmai, director_kredtrakarn, central_reviewer):
    """A referral in each situation the central division meets, by what it waits for."""

    def make(state, review="pending"):
        return referral_in_state(
            worker_chiangmai,
            state,
            receiver=director_kredtrakarn,
            reviewer=central_reviewer,
            review=review,
        ).pk

    return {
        "waiting": {
            "submitted": make("submitted"),
            "escalated": make("submitted", "escalated"),
            "accepted, not reviewed yet": make("accepted"),
            "declined, waiting for a redirect": make("declined"),
        },
        "not waiting": {
            "endorsed": make("submitted", "endorsed"),
            "completed and endorsed": make("completed", "endorsed"),
            "queried: the sender answers": make("submitted", "queried"),
            "withdrawn": make("withdrawn"),
        },
    }


def test_the_queue_opens_on_what_waits_for_the_reviewer(client, central_reviewer, referrals):
    client.force_login(central_reviewer)
    page = client.get(reverse("referrals:home"))
    assert sorted(r.pk for r in page.context["queue"]) == sorted(referrals["waiting"].values())
    assert 'data-testid="queue-scope"' in page.content.decode()


def test_the_filter_shows_the_others(client, central_reviewer, referrals):
    client.force_login(central_reviewer)
    everything = [*referrals["waiting"].values(), *referrals["not waiting"].values()]
    assert queue(client, state="all") == sorted(everything)
    not_waiting = referrals["not waiting"]
    assert queue(client, state="endorsed") == sorted(
        [not_waiting["endorsed"], not_waiting["completed and endorsed"]]
    )
    assert queue(client, state="queried") == [not_waiting["queried: the sender answers"]]
    assert queue(client, state="withdrawn") == [not_waiting["withdrawn"]]
    assert queue(client, state="declined") == [
        referrals["waiting"]["declined, waiting for a redirect"]
    ]
    page = client.get(reverse("referrals:home"), {"state": "all"})
    assert 'data-testid="queue-scope"' not in page.content.decode()


def test_a_redirect_takes_the_decline_out_of_the_waiting_queue_and_puts_the_new_one_in(
    client, central_reviewer, referrals
):
    declined = referrals["waiting"]["declined, waiting for a redirect"]
    client.force_login(central_reviewer)
    response = client.post(
        reverse("referrals:act", args=[declined, "redirect"]),
        {
            "to_organisation": Organisation.objects.get(code="shelter-narisawat").pk,
            "note": "บ้านนารีสวัสดิ์มีเตียงว่างในส่วนหญิง",
        },
    )
    assert response.status_code == 302
    redirect = Referral.objects.get(redirected_from_id=declined)
    waiting = queue(client)
    assert declined not in waiting
    assert redirect.pk in waiting


def test_every_shaded_row_of_the_queue_is_explained_on_the_page(
    client, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    referral_in_state(worker_chiangmai, "submitted", urgent=True)
    late = referral_in_state(worker_chiangmai, "submitted")
    Deadline.objects.filter(object_type__model="referral", object_id=late.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(central_reviewer)
    page = client.get(reverse("referrals:home")).content.decode()
    shadings = set(ROW_CLASS.findall(page.split('data-testid="referrals"')[1]))
    assert shadings == set(LEGEND)
    for shading in shadings:
        assert f'data-testid="{LEGEND[shading]}"' in page, shading
    assert 'data-testid="occupancy-legend"' in page  # the shelters' over-capacity rows


def test_the_referral_list_explains_its_urgent_rows(client, worker_chiangmai, central_reviewer):
    referral_in_state(worker_chiangmai, "submitted", urgent=True)
    client.force_login(central_reviewer)
    page = client.get(reverse("referrals:list")).content.decode()
    assert 'class="table-warning"' in page
    assert 'data-testid="legend-urgent"' in page


# --- The redirect after a decline ----------------------------------------------------------------

SHELTER, PROVINCIAL_OFFICE = Organisation.Kind.SHELTER, Organisation.Kind.PROVINCIAL_OFFICE
OPTGROUP = re.compile(r'<optgroup label="([^"]+)">(.*?)</optgroup>', re.S)
OPTION = re.compile(r'<option value="(\d+)"( data-no-fitting-bed)?>([^<]*)</option>')


def redirect_list(client, referral) -> list[tuple[str, list[tuple[str, bool, str]]]]:
    """The redirect form's groups: (label, [(organisation code, marked as having no bed for
    the person, the option's words)])."""
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    form = page.split('data-testid="redirect-form"')[1].split("</form>")[0]
    codes = dict(Organisation.objects.values_list("pk", "code"))
    return [
        (
            label,
            [(codes[int(pk)], bool(marked), words) for pk, marked, words in OPTION.findall(body)],
        )
        for label, body in OPTGROUP.findall(form)
    ]


def group_labels(*kinds) -> list[str]:
    """The redirect list's labels of these kinds' groups, as a Thai user reads them."""
    with translation.override("th"):
        return [str(label) for kind, label in RECEIVER_GROUPS if kind in kinds]


@pytest.fixture
def declined_service_for_a_man(worker_chiangmai, director_kredtrakarn):
    """A man referred to Kredtrakarn (a shelter for women and girls) for counselling, declined."""
    return referral_in_state(
        worker_chiangmai,
        "declined",
        receiver=director_kredtrakarn,
        kind="service",
        services_requested=["psychosocial"],
        person={"sex": "male", "estimated_age": 30},
    )


def test_the_redirect_offers_shelters_first_with_their_free_beds_then_the_other_kinds(
    client, central_reviewer, declined_service_for_a_man
):
    client.force_login(central_reviewer)
    groups = redirect_list(client, declined_service_for_a_man)
    assert [label for label, _options in groups] == group_labels(SHELTER, PROVINCIAL_OFFICE)
    shelters = groups[0][1]
    codes = [code for code, _marked, _words in shelters]
    # Neither the shelter that declined nor the sending office; those with a bed for him first.
    assert "shelter-kredtrakarn" not in codes
    assert "pso-50" not in [code for code, _marked, _words in groups[1][1]]
    assert len(groups[1][1]) == 76
    marked = {code: marked for code, marked, _words in shelters}
    assert marked == {
        "shelter-pathumthani": False,
        "shelter-songkhla": False,
        "shelter-narisawat": True,
        "shelter-srisurat": True,
        "shelter-songkwae": True,
    }
    assert set(codes[:2]) == {"shelter-pathumthani", "shelter-songkhla"}
    songkhla = next(words for code, _marked, words in shelters if code == "shelter-songkhla")
    with translation.override("th"):
        for unit in ShelterUnit.objects.filter(shelter__organisation__code="shelter-songkhla"):
            assert f"{unit.get_section_display()} {unit.capacity}" in songkhla


def test_the_free_beds_are_counted_now_and_a_shelter_with_none_for_the_person_is_marked(
    client, central_reviewer, declined_service_for_a_man
):
    ShelterUnit.objects.filter(
        shelter__organisation__code="shelter-songkhla", section="men"
    ).update(capacity=0)
    client.force_login(central_reviewer)
    shelters = {
        code: (marked, words)
        for code, marked, words in redirect_list(client, declined_service_for_a_man)[0][1]
    }
    marked, words = shelters["shelter-songkhla"]
    assert marked is True
    men = ShelterUnit.objects.get(shelter__organisation__code="shelter-songkhla", section="men")
    with translation.override("th"):
        assert f"{men.get_section_display()} 0" in words
    page = client.get(reverse("referrals:detail", args=[declined_service_for_a_man.pk]))
    row = page.content.decode().split('data-testid="redirect-shelter-shelter-songkhla"')[1]
    row = row.split("</tr>")[0]
    assert 'data-testid="no-fitting-bed"' in row
    assert 'data-testid="full"' in row  # the men's section, in words as well as in colour


def test_a_declined_shelter_placement_is_redirected_only_to_shelters(
    client, worker_chiangmai, director_kredtrakarn, central_reviewer
):
    declined = referral_in_state(worker_chiangmai, "declined", receiver=director_kredtrakarn)
    client.force_login(central_reviewer)
    groups = redirect_list(client, declined)
    assert [label for label, _options in groups] == group_labels(SHELTER)
    # A woman of 25: the women's shelters have a bed for her, the men's do not.
    marked = {code: marked for code, marked, _words in groups[0][1]}
    assert marked["shelter-narisawat"] is False
    assert marked["shelter-pathumthani"] is True


def test_the_queue_shows_a_page_at_a_time_and_logs_what_it_showed(
    client, worker_chiangmai, central_reviewer
):
    """Issue 23: 25 rows a page (the user may choose more), the rest on the next pages; the
    rows name persons, so the page is logged as a read (issue 24)."""
    from audit.models import AuditEvent

    waiting = [referral_in_state(worker_chiangmai).pk for _ in range(27)]
    client.force_login(central_reviewer)

    first, second = queue(client), queue(client, page=2)

    assert len(first) == 25 and len(second) == 2
    assert sorted(first + second) == sorted(waiting)
    assert len(queue(client, size=50)) == 27
    shown = AuditEvent.objects.filter(
        action=AuditEvent.Action.LIST, actor=central_reviewer, changes__list="review-queue"
    )
    assert shown.count() == 3 and shown.first().changes["count"] in (25, 2, 27)
