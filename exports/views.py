"""The answer to an export prepared in the background (a large Excel export, a report's
file), and a prepared file's page and download."""

from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.permissions import may_export
from audit.exports import ListExport
from core.exports import CONTENT_TYPES, FORMAT_NAMES

from . import selectors, services
from .models import KEPT_FOR, ExportJob


def _back(request) -> str:
    """The list page the export was asked from (its path and query on this site), or ""."""
    url = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _remember(request, job: ExportJob) -> None:
    """Keep the job's id in the session, for the list page to show it (selectors)."""
    asked = request.session.get(selectors.SESSION_KEY, [])
    request.session[selectors.SESSION_KEY] = [
        job.pk,
        *(pk for pk in asked if pk != job.pk),
    ][: selectors.REMEMBERED]


def list_export_answer(request, export: ListExport) -> HttpResponse | None:
    """audit.exports.list_export's handler (registered in apps.py). In the request a worker
    replays for a job, the rows go to the job's file (services). A large Excel export or a
    report's file (services.prepared_in_background) is offered on a GET, as a link must not
    start a minute of work, and asked for on a POST, which leads to the job's page. Anything
    else: None, for the file to be made at once."""
    preparation = getattr(request, services.PREPARATION, None)
    if preparation is not None:
        return preparation(export)
    if not services.prepared_in_background(export):
        return None
    back = _back(request)
    if request.method != "POST":
        csv = request.GET.copy()
        csv["format"] = "csv"
        return render(
            request,
            "exports/offer.html",
            {
                "export": export,
                "format_name": FORMAT_NAMES[export.format],
                "back": back,
                "csv_query": "" if export.report else csv.urlencode(),
                "hours": int(KEPT_FOR.total_seconds() // 3600),
            },
        )
    job = services.export_job_request(
        actor=request.user,
        export=export,
        path=request.path,
        query=request.GET.urlencode(),
        back=back,
    )
    _remember(request, job)
    return redirect(job)


@login_required
def job(request, job_id: int):
    """A prepared file's page: its progress while a worker writes it (htmx polls the status
    part, which this view answers alone to an htmx request), then its download; or why not."""
    job = selectors.export_job_get_for_requester(user=request.user, job_id=job_id)
    template = (
        "exports/job_status.html" if request.headers.get("HX-Request") else "exports/job.html"
    )
    return render(request, template, {"job": job})


@login_required
def download(request, job_id: int):
    """The prepared file, for the user who asked for it and may still export; each download
    is an audit event, as an export made at once is."""
    job = selectors.export_job_get_for_requester(user=request.user, job_id=job_id)
    if job.status != ExportJob.Status.READY:
        return redirect(job)
    return job_file_response(request, job)


def job_file_response(request, job: ExportJob) -> FileResponse:
    """A ready job's file for its user, who may still export (the page's download and the
    API's); the download audited."""
    if not may_export(request.user):
        raise PermissionDenied
    try:
        file = services.export_job_download(job=job, actor=request.user, request=request)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=job.download_name, content_type=CONTENT_TYPES[job.format]
    )
    response["Cache-Control"] = "no-store"  # personal data: no copy in a proxy or browser cache
    return response
