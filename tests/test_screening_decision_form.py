"""The MDT's decision form (issue 15): no outcome chosen in advance, one checklist of what is
still missing before anyone tries, and a refused decision comes back with what was written."""

import html

import pytest
from django.urls import reverse

from tests.factories import screening_in_state

pytestmark = pytest.mark.django_db


def test_no_outcome_is_chosen_in_advance_and_everything_missing_is_listed_at_once(
    client, worker_chiangmai
):
    screening = screening_in_state(worker_chiangmai, "open", members=[])
    client.force_login(worker_chiangmai)
    page = client.get(screening.get_absolute_url())
    assert page.status_code == 200
    assert not page.context["decision_form"]["outcome"].value()
    missing = list(page.context["decision_missing"])
    assert len(missing) == 3  # the MDT members, the s.33 rights notice, the indicators
    assert 'data-testid="decision-missing"' in page.content.decode()


def test_a_refused_decision_keeps_the_outcome_and_the_reasons(client, worker_chiangmai):
    screening = screening_in_state(worker_chiangmai, "open", members=[])
    client.force_login(worker_chiangmai)
    reasons = "ถูกบังคับทำงานบนเรือประมง ถูกยึดเอกสาร"
    page = client.post(
        reverse("cases:screening_decide", args=[screening.pk]),
        {"outcome": "victim_trafficking", "reason": reasons},
    )
    assert page.status_code == 200
    form = page.context["decision_form"]
    assert form["outcome"].value() == "victim_trafficking"
    assert form["reason"].value() == reasons
    assert len(form.non_field_errors()) == 3  # every reason it was refused, together
    assert reasons in html.unescape(page.content.decode())
    screening.refresh_from_db()
    assert screening.status == "open"


def test_a_refused_decision_shows_each_reason_once(client, worker_chiangmai):
    """The checklist above the form does not repeat what the refused form already says."""
    screening = screening_in_state(worker_chiangmai, "open", members=[])
    client.force_login(worker_chiangmai)
    page = client.post(
        reverse("cases:screening_decide", args=[screening.pk]),
        {"outcome": "victim_trafficking", "reason": "ถูกยึดเอกสาร"},
    )
    content = html.unescape(page.content.decode())
    reasons = page.context["decision_form"].non_field_errors()
    assert len(reasons) == 3
    for reason in reasons:
        assert content.count(reason) == 1
