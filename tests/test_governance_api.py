"""Webhooks, prepared export files, the reports' files and the user's own sign-ins and
notification preferences through the API, as their pages."""

import pytest
from django.urls import reverse

from exports.models import ExportJob
from notifications.models import Preference
from tests.factories import register_case
from tests.test_api_problems import THAI, assert_problem, token_client
from webhooks.models import Delivery, Endpoint, Message

pytestmark = pytest.mark.django_db

HOOK = "https://partner.example.org/hooks"


@pytest.fixture
def public_addresses(monkeypatch):
    """The receiver's name resolves to a public address (no network in the tests)."""
    monkeypatch.setattr("webhooks.addresses.socket.getaddrinfo", _public, raising=False)


def _public(*args, **kwargs):
    return [(2, 1, 6, "", ("93.184.216.34", 443))]


def test_a_supervisor_registers_an_endpoint_and_sees_its_secret_once(
    supervisor_chiangmai, public_addresses
):
    client = token_client(supervisor_chiangmai)
    created = client.post(
        "/api/v1/webhooks/", {"url": HOOK, "event_kinds": ["referral.submitted"]}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["secret"].startswith("whsec_")
    assert created.json()["organisation"] == supervisor_chiangmai.membership.organisation.code
    read = client.get(f"/api/v1/webhooks/{created.json()['id']}/").json()
    assert "secret" not in read


def test_an_endpoint_needs_an_event_in_thai(supervisor_chiangmai):
    body = assert_problem(
        token_client(supervisor_chiangmai).post(
            "/api/v1/webhooks/", {"url": HOOK, "event_kinds": []}, format="json"
        ),
        400,
    )
    assert THAI.search(body["errors"]["event_kinds"][0])


@pytest.fixture
def endpoint(supervisor_chiangmai):
    endpoint = Endpoint.objects.create(
        organisation=supervisor_chiangmai.membership.organisation,
        url=HOOK,
        event_kinds=["referral.submitted"],
        created_by=supervisor_chiangmai,
    )
    Delivery.objects.create(
        message=Message.objects.create(kind="referral.submitted", body="{}"),
        endpoint=endpoint,
        state=Delivery.State.FAILED,
    )
    return endpoint


def test_a_failed_delivery_is_sent_again_then_the_endpoint_disabled(supervisor_chiangmai, endpoint):
    client = token_client(supervisor_chiangmai)
    [delivery] = client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
    assert delivery["state"] == "failed" and delivery["webhook_id"].startswith("msg_")
    url = f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery['id']}/send-again/"
    assert client.post(url).json()["state"] == "pending"
    assert_problem(client.post(url), 409)  # already waiting
    assert client.post(f"/api/v1/webhooks/{endpoint.pk}/disable/").json()["active"] is False
    assert_problem(client.post(f"/api/v1/webhooks/{endpoint.pk}/disable/"), 409)


def test_a_social_worker_or_another_office_manages_no_webhook(
    worker_chiangmai, director_kredtrakarn, endpoint
):
    assert_problem(token_client(worker_chiangmai).get("/api/v1/webhooks/"), 403)
    director = token_client(director_kredtrakarn)
    assert director.get("/api/v1/webhooks/").json()["results"] == []
    assert_problem(director.post(f"/api/v1/webhooks/{endpoint.pk}/disable/"), 404)
    assert Endpoint.objects.get(pk=endpoint.pk).active


def test_a_list_is_exported_through_a_job_and_downloaded_when_ready(
    supervisor_chiangmai, worker_chiangmai, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True
    register_case(worker_chiangmai, name_th="ส่งออก", estimated_age=30)
    client = token_client(supervisor_chiangmai)
    started = client.post(
        "/api/v1/exports/", {"list": "cases", "filters": {"status": "open"}}, format="json"
    )
    assert started.status_code == 201, started.content
    job = ExportJob.objects.get(pk=started.json()["id"])
    assert job.path == reverse("cases:export") and job.format == "xlsx"
    progress = client.get(f"/api/v1/exports/{job.pk}/").json()
    if progress["status"] == "preparing":  # no worker here: the task runs now
        from exports.services import export_job_prepare

        export_job_prepare(job_id=job.pk)
        progress = client.get(f"/api/v1/exports/{job.pk}/").json()
    assert progress["status"] == "ready", progress
    file = client.get(progress["download"])
    assert file.status_code == 200 and file["Cache-Control"] == "no-store"
    assert token_client(worker_chiangmai).get(f"/api/v1/exports/{job.pk}/").status_code == 404


def test_an_export_not_ready_is_a_conflict(supervisor_chiangmai):
    client = token_client(supervisor_chiangmai)
    job = ExportJob.objects.create(
        requested_by=supervisor_chiangmai, list_name="cases", format="xlsx", path="/", language="th"
    )
    assert_problem(client.get(f"/api/v1/exports/{job.pk}/download/"), 409)


def test_an_export_with_bad_filters_or_by_a_social_worker_is_refused(
    supervisor_chiangmai, worker_chiangmai
):
    bad = token_client(supervisor_chiangmai).post(
        "/api/v1/exports/", {"list": "cases", "filters": {"status": "lost"}}, format="json"
    )
    assert THAI.search(assert_problem(bad, 400)["detail"])
    unknown = token_client(supervisor_chiangmai).post(
        "/api/v1/exports/", {"list": "everything"}, format="json"
    )
    assert "list" in assert_problem(unknown, 400)["errors"]
    refused = token_client(worker_chiangmai).post("/api/v1/exports/", {"list": "cases"})
    assert_problem(refused, 403)
    assert not ExportJob.objects.exists()


def test_the_central_division_reads_the_annual_figures(central_reviewer):
    client = token_client(central_reviewer)
    figures = client.get("/api/v1/reports/annual/", {"kind": "calendar", "year": 2025}).json()
    assert figures["start"] == "2025-01-01" and figures["anonymised"] is not None
    refused = client.post(
        "/api/v1/exports/",
        {"list": "anonymised-statistics", "filters": {"kind": "fiscal", "year": "2025"}},
        format="json",
    )
    assert THAI.search(assert_problem(refused, 400)["detail"])  # only a calendar year
    assert_problem(client.get("/api/v1/reports/annual/", {"year": "soon"}), 400)


@pytest.mark.parametrize("persona", ["worker_chiangmai", "supervisor_chiangmai"])
def test_the_reports_files_are_refused_to_who_may_not_take_them(persona, request):
    client = token_client(request.getfixturevalue(persona))
    assert_problem(client.get("/api/v1/reports/annual/"), 403)
    if persona == "worker_chiangmai":  # a supervisor takes the HTCDS file of their cases
        assert_problem(client.get("/api/v1/reports/htcds/?format=csv"), 403)
    for report in ("annual-figures", "anonymised-statistics", "htcds-anonymised"):
        asked = client.post("/api/v1/exports/", {"list": report, "format": "csv"}, format="json")
        assert_problem(asked, 403)
    assert not ExportJob.objects.exists()


def test_a_user_lists_and_revokes_their_own_tokens(worker_chiangmai, worker_tak):
    client = token_client(worker_chiangmai)
    lost_phone = token_client(worker_chiangmai)
    newest, _first = client.get("/api/v1/me/tokens/").json()
    revoke = f"/api/v1/me/tokens/{newest['token_key']}/revoke/"
    assert_problem(token_client(worker_tak).post(revoke), 404)  # another's token
    assert client.post(revoke).status_code == 204
    assert lost_phone.get("/api/v1/me/").status_code == 401
    assert len(client.get("/api/v1/me/tokens/").json()) == 1


def test_signing_out_everywhere_ends_every_token(worker_chiangmai):
    client, other = token_client(worker_chiangmai), token_client(worker_chiangmai)
    assert client.post("/api/v1/me/sign-out-everywhere/").json() == {"tokens": 2}
    assert other.get("/api/v1/me/").status_code == 401


def test_notification_preferences_are_read_and_changed_with_their_version(worker_chiangmai):
    client = token_client(worker_chiangmai)
    defaults = client.get("/api/v1/me/notification-preferences/")
    assert defaults.json()["email"] is True and "ETag" not in defaults
    saved = client.put(
        "/api/v1/me/notification-preferences/",
        {"email": True, "topics": ["referral"]},
        format="json",
    )
    assert saved.json() == {"email": True, "topics": ["referral"]}
    seen = saved["ETag"]
    client.put(
        "/api/v1/me/notification-preferences/", {"email": False, "topics": []}, format="json"
    )
    stale = client.put(
        "/api/v1/me/notification-preferences/",
        {"email": True, "topics": []},
        format="json",
        HTTP_IF_MATCH=seen,
    )
    assert THAI.search(assert_problem(stale, 412)["detail"])
    assert Preference.objects.get(user=worker_chiangmai).email is False
    bad = client.put(
        "/api/v1/me/notification-preferences/", {"email": "maybe", "topics": ["x"]}, format="json"
    )
    assert {"email", "topics.0"} <= set(assert_problem(bad, 400)["errors"])


def test_disabling_an_endpoint_changed_since_it_was_read_is_refused(
    supervisor_chiangmai, sysadmin, endpoint
):
    client = token_client(supervisor_chiangmai)
    seen = client.get(f"/api/v1/webhooks/{endpoint.pk}/")["ETag"]
    endpoint.description = "ของระบบใหม่"
    endpoint.save()  # another's change: a new version
    stale = client.post(f"/api/v1/webhooks/{endpoint.pk}/disable/", HTTP_IF_MATCH=seen)
    assert THAI.search(assert_problem(stale, 412)["detail"])
    assert Endpoint.objects.get(pk=endpoint.pk).active
    fresh = client.get(f"/api/v1/webhooks/{endpoint.pk}/")["ETag"]
    disabled = client.post(f"/api/v1/webhooks/{endpoint.pk}/disable/", HTTP_IF_MATCH=fresh)
    assert disabled.status_code == 200 and disabled["ETag"] != fresh
