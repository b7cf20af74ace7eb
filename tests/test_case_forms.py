"""The case page's long forms (screening, consent, permit, access) come when they are opened:
the page carries a link, htmx swaps the form in, and without JavaScript the link opens the
form on a page of its own. Only who the page offers a form to gets it."""

import pytest
from django.urls import reverse

from cases import services
from tests.factories import register_case, screening_in_state

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def form_url(case, name):
    return reverse("cases:case_form", args=[case.pk, name])


def test_the_case_page_links_each_long_form_instead_of_rendering_it(client, worker_chiangmai):
    case = register_case(worker_chiangmai, nationality="MM")
    client.force_login(worker_chiangmai)
    page = client.get(case.get_absolute_url()).content.decode()
    for name in ("screening", "consent", "permit"):
        assert f'hx-get="{form_url(case, name)}"' in page
    assert 'name="decision"' not in page  # the consent form's field
    assert 'name="interpreter_language"' not in page  # the screening form's
    assert 'name="text"' in page  # the short note form stays on the page


def test_an_opened_form_comes_alone_for_htmx_and_on_a_page_without_it(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    fragment = client.get(form_url(case, "consent"), **HTMX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert f'action="{reverse("cases:add_consent", args=[case.pk])}"' in html
    assert 'name="decision"' in html and "csrfmiddlewaretoken" in html
    assert "<html" not in html
    page = client.get(form_url(case, "consent")).content.decode()
    assert "<html" in page and 'name="decision"' in page
    assert "บันทึกความยินยอม" in page  # "Record consent", its title, in Thai


def test_a_form_is_only_for_those_the_case_page_offers_it_to(
    client, worker_chiangmai, worker_tak, supervisor_chiangmai, central_reviewer
):
    case = register_case(worker_chiangmai)
    client.force_login(central_reviewer)  # sees the case, does not work on it
    assert client.get(form_url(case, "consent"), **HTMX).status_code == 403
    client.force_login(worker_tak)  # another province: the case does not exist for them
    assert client.get(form_url(case, "consent"), **HTMX).status_code == 404
    client.force_login(worker_chiangmai)
    assert client.get(form_url(case, "access"), **HTMX).status_code == 403  # supervisors only
    assert client.get(form_url(case, "nonsense"), **HTMX).status_code == 404
    client.force_login(supervisor_chiangmai)
    assert client.get(form_url(case, "access"), **HTMX).status_code == 200


def test_no_screening_form_for_a_closed_case(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    services.case_close(case_id=case.pk, actor=worker_chiangmai, reason="moved away")
    client.force_login(worker_chiangmai)
    assert client.get(form_url(case, "screening"), **HTMX).status_code == 403
    assert form_url(case, "screening") not in client.get(case.get_absolute_url()).content.decode()


def test_no_screening_form_while_a_screening_of_the_case_is_under_way(client, worker_chiangmai):
    running = screening_in_state(worker_chiangmai, "pending_second_review")
    case = running.case
    client.force_login(worker_chiangmai)
    assert form_url(case, "screening") not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(form_url(case, "screening"), **HTMX).status_code == 403
    refused = client.post(
        reverse("cases:start_screening", args=[case.pk]),
        {"custody_started_at": "01/11/2569 09:00"},
    )
    assert refused.status_code == 200
    assert "รายกรณีนี้มีการคัดแยกที่อยู่ระหว่างดำเนินการแล้ว" in refused.content.decode()
    assert case.screenings.count() == 1

    decided = screening_in_state(worker_chiangmai, "decided")
    page = client.get(decided.case.get_absolute_url()).content.decode()
    assert form_url(decided.case, "screening") in page  # a finished one does not stop a new one


def test_a_refused_form_comes_back_with_what_was_typed_and_why(client, worker_chiangmai):
    case = register_case(worker_chiangmai, nationality="MM")
    client.force_login(worker_chiangmai)
    refused = client.post(
        reverse("cases:add_permit", args=[case.pk]),
        {"reference": "WP-123/2569", "issued_on": "10/11/2569", "expires_on": "01/11/2569"},
    )
    assert refused.status_code == 200  # the form's page, not a redirect to an empty form
    html = refused.content.decode()
    assert 'value="WP-123/2569"' in html and 'value="01/11/2569"' in html
    assert "วันหมดอายุต้องอยู่หลังวันที่ออกใบอนุญาต" in html  # the service's reason, in Thai
    assert not case.permits.exists()
    done = client.post(
        reverse("cases:add_permit", args=[case.pk]),
        {"reference": "WP-123/2569", "issued_on": "01/11/2569", "expires_on": "01/11/2570"},
    )
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    assert case.permits.get().reference == "WP-123/2569"


def test_a_form_refused_by_its_own_checks_keeps_the_input_too(client, worker_chiangmai):
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    refused = client.post(
        reverse("cases:start_screening", args=[case.pk]),
        {"custody_started_at": "99/99/2569 25:00", "interpreter_name": "คุณมา"},
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert 'value="99/99/2569 25:00"' in html and 'value="คุณมา"' in html
    assert not case.screenings.exists()


def test_consent_is_never_recorded_by_leaving_the_first_choice(client, worker_chiangmai):
    """The step and the decision start empty: a consent posted without a decision is refused
    and nothing is recorded (it once started on "given")."""
    case = register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)
    form = client.get(reverse("cases:case_form", args=[case.pk, "consent"])).content.decode()
    assert '<option value="" selected>—</option>' in form
    refused = client.post(
        reverse("cases:add_consent", args=[case.pk]), {"step": "referral", "reason": "x"}
    )
    assert refused.status_code == 200
    assert "decision" in refused.context["form"].errors
    assert not case.consents.exists()
