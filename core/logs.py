"""Request ids and structured logs.

Every request gets an id (the proxy's `X-Request-ID` when it sends a plausible one, else a new
one), returned in the response's `X-Request-ID` and written on every log line the request
causes; a task queued during the request carries it in its message headers, and the worker's
log lines for that task carry it too. So one id finds, in the logs of web and worker, what a
user's click did, down to the e-mail a worker sent for it.
"""

import contextvars
import logging
import re
import time
import uuid

from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

HEADER = "nrm_request_id"  # in a task message's headers
QUEUED_AT = "nrm_queued_at"  # when it was published (seconds since the epoch): the queue's age
_PLAUSIBLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # no newline or quote can reach a log line


class RequestIdMiddleware:
    """First of the middleware, so that every later log line of the request has the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        current = given if _PLAUSIBLE.match(given) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished, below): Django logs a 4xx or 5xx
        # after the middleware has returned, and a streamed export runs after it too.
        request_id.set(current)
        request.request_id = current
        response = self.get_response(request)
        response["X-Request-ID"] = current
        return response


@receiver(request_finished, dispatch_uid="core.logs.forget_request_id")
def _forget_request_id(**kwargs):
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or task's) id on every record, as `request_id`."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class ExpectedRefusalFilter(logging.Filter):
    """On `django.request`: a 4xx answer (PermissionDenied, BadRequest) is the system refusing
    as designed, and Django logs it with the exception's traceback; the warning line stays, the
    traceback goes, so a traceback in the log always means a 5xx to look at."""

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True


@signals.before_task_publish.connect(weak=False)
def _stamp_task(headers=None, **kwargs):
    if headers is not None:
        current = request_id.get()
        if current != "-":
            headers.setdefault(HEADER, current)
        headers.setdefault(QUEUED_AT, time.time())


_task_tokens: dict[str, contextvars.Token] = {}


@signals.task_prerun.connect(weak=False)
def _enter_task(task_id=None, task=None, **kwargs):
    carried = getattr(task.request, HEADER, None) if task is not None else None
    current = carried if isinstance(carried, str) and _PLAUSIBLE.match(carried) else None
    # A periodic task has no request behind it: its own id stands in.
    _task_tokens[task_id] = request_id.set(current or f"task-{task_id}")


@signals.task_postrun.connect(weak=False)
def _leave_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)
