"""The API's errors as RFC 9457 problem details (`application/problem+json`).

Every error of `/api/v1/` has the same body, in the user's language:

    {"type": "urn:nrm:problem:validation", "title": "...", "status": 400,
     "detail": "...", "instance": "/api/v1/cases/", "errors": {"person": ["..."]}}

`type` names the kind of problem: `about:blank` when the status code says all there is to say
(RFC 9457 §4.2.1), else one of PROBLEM_TYPES (URNs: they name a kind, they are not pages to
fetch). `errors` is there for invalid input only: one list of messages per field, a nested
field named by its path (`documents.0.number`), a message about no one field under
`non_field_errors`.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults

CONTENT_TYPE = "application/problem+json"

# The kinds of problem this API names, beyond the bare status code (documented in the schema).
PROBLEM_TYPES = {
    "validation": gettext_lazy("The input is not valid"),
    "transition-not-allowed": gettext_lazy("Not possible in the record's current state"),
    "action-forbidden": gettext_lazy("This user may not do this"),
    "stale-version": gettext_lazy("The record was changed by someone else"),
    "invalid-text": gettext_lazy("What was sent is not valid text"),
}


def _status_titles():
    # The reason phrases, in the user's language (built per call: the language is the request's).
    return {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        412: _("Precondition failed"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
    }


def problem_type(slug: str) -> str:
    return f"urn:nrm:problem:{slug}"


def problem_body(
    *,
    status: int,
    detail: str,
    instance: str,
    kind: str = "",
    errors: dict | None = None,
) -> dict:
    """The problem details of one error: `kind` a key of PROBLEM_TYPES, or empty for the bare
    status code."""
    if kind:
        title = str(PROBLEM_TYPES[kind])
    else:
        title = _status_titles().get(status) or HTTPStatus(status).phrase
    body = {
        "type": problem_type(kind) if kind else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def field_errors(data, prefix: str = "") -> dict[str, list[str]]:
    """DRF's or Django's nested errors as one flat list of messages per field path."""
    if isinstance(data, dict):
        flat: dict[str, list[str]] = {}
        for key, value in data.items():
            flat.update(field_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        flat = {}
        for index, item in enumerate(data):
            flat.update(field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = data if isinstance(data, list) else [data]
    return {prefix or "non_field_errors": [str(m) for m in messages if str(m)]} if messages else {}


def validation_detail(errors: dict[str, list[str]]) -> str:
    """The summary of invalid input: the messages about no one field, else a pointer to the
    fields."""
    general = errors.get("non_field_errors")
    if general:
        return " ".join(general)
    return _("Some fields are not valid: see the message beside each (errors).")


def problem_response(request, *, status: int, detail: str, kind: str = "") -> JsonResponse:
    """A problem outside DRF's views (a middleware's refusal)."""
    body = problem_body(status=status, detail=detail, instance=request.path, kind=kind)
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def page_not_found(request, exception):
    """Django's 404 (a URL that matches nothing): problem details under /api/, else the page."""
    if request.path.startswith("/api/"):
        return problem_response(request, status=404, detail=_("No such address in the API."))
    return defaults.page_not_found(request, exception)
