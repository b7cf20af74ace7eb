"""What the operators watch (docs/RUNBOOK.md has the alerts): /metrics for Prometheus.

The request figures come from `core.metrics` (counted as requests are answered); the rest is
read from the database and the broker when Prometheus asks, so every web process gives the
same answer: the task queue's length and its oldest task's age, the deadlines due and breached,
the e-mail outbox's backlog, the intake imports running, the worker heartbeat's age.

The endpoint shows no personal data but is still not public: it answers only a request with
`Authorization: Bearer <NRM_METRICS_TOKEN>`; without that setting it does not exist (404).
"""

import datetime as dt
import hmac
import logging
import os

from django.conf import settings
from django.db.models import Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from cases.models import IntakeBatch
from core.metrics import broker_queues
from core.models import Heartbeat
from core.tasks import WORKER
from notifications.models import Delivery
from sla.models import Deadline

logger = logging.getLogger(__name__)

DUE_SOON = dt.timedelta(hours=24)


def _age(since, now) -> float | None:
    return None if since is None else max(0.0, (now - since).total_seconds())


def heartbeat_age() -> float | None:
    """Seconds since a worker last ran beat's heartbeat task; None if none ever did."""
    beat_at = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    return _age(beat_at, timezone.now())


def outbox_figures() -> dict[str, float | int | None]:
    """E-mails waiting to be sent, and how long the longest-waiting one has been due. Both read
    the outbox's partial index of waiting rows (`delivery_pending_idx`), never the years of
    sent ones: /readyz asks every few seconds."""
    now = timezone.now()
    waiting = Delivery.objects.filter(state=Delivery.State.PENDING)
    oldest = waiting.filter(next_attempt_at__lte=now).aggregate(due=Min("next_attempt_at"))
    return {"backlog": waiting.count(), "oldest_due_seconds": _age(oldest["due"], now)}


def deadline_figures() -> dict[str, float | int | None]:
    now = timezone.now()
    running = Deadline.objects.filter(closed_at__isnull=True)
    lag = running.filter(next_action_at__lte=now).aggregate(oldest=Min("next_action_at"))
    return {
        "due_24h": running.filter(
            state=Deadline.State.PENDING, due_at__gt=now, due_at__lte=now + DUE_SOON
        ).count(),
        "breached": running.filter(
            Q(state=Deadline.State.BREACHED) | Q(state=Deadline.State.PENDING, due_at__lte=now)
        ).count(),
        # How long the oldest reminder or escalation has waited for the sweep (beat, every
        # minute): minutes mean the sweep has stopped.
        "sweep_lag_seconds": _age(lag["oldest"], now) or 0.0,
    }


def gauge(name, documentation, value, labels=None):
    family = GaugeMetricFamily(name, documentation, labels=list(labels or {}))
    if value is not None:
        family.add_metric(list((labels or {}).values()), value)
    return family


class RuntimeCollector:
    """Read at each scrape; a part that fails (the broker down) is left out and logged."""

    def collect(self):
        parts = {
            "queue": self._queue,
            "deadlines": self._deadlines,
            "outbox": self._outbox,
            "intake": self._intake,
            "heartbeat": self._heartbeat,
        }
        up = GaugeMetricFamily(
            "nrm_metrics_source_up", "1 if this part of the figures could be read.", labels=["part"]
        )
        for name, part in parts.items():
            try:
                families = list(part())
            except Exception as exc:  # the scrape still answers with the other parts
                logger.warning("metrics: %s unreadable: %s", name, exc)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up

    def _queue(self):
        length = GaugeMetricFamily(
            "nrm_task_queue_length", "Tasks waiting in the broker.", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "nrm_task_queue_oldest_age_seconds",
            "Age of the oldest task waiting in the broker (0 when empty).",
            labels=["queue"],
        )
        for queue, (count, age) in broker_queues().items():
            length.add_metric([queue], count)
            oldest.add_metric([queue], age or 0.0)
        yield length
        yield oldest

    def _deadlines(self):
        figures = deadline_figures()
        yield gauge(
            "nrm_deadlines_due_24h", "Running clocks due in the next 24 hours.", figures["due_24h"]
        )
        yield gauge(
            "nrm_deadlines_breached", "Running clocks past their due time.", figures["breached"]
        )
        yield gauge(
            "nrm_deadlines_sweep_lag_seconds",
            "How long the oldest reminder or escalation has waited for the sweep.",
            figures["sweep_lag_seconds"],
        )

    def _outbox(self):
        figures = outbox_figures()
        yield gauge("nrm_outbox_backlog", "E-mails waiting in the outbox.", figures["backlog"])
        yield gauge(
            "nrm_outbox_oldest_due_age_seconds",
            "How long the longest-waiting e-mail has been due (0 when none).",
            figures["oldest_due_seconds"] or 0.0,
        )

    def _intake(self):
        running = IntakeBatch.objects.filter(status=IntakeBatch.Status.IMPORTING).count()
        yield gauge("nrm_intake_batches_running", "Intake files being imported.", running)

    def _heartbeat(self):
        age = heartbeat_age()
        yield gauge(
            "nrm_worker_heartbeat_age_seconds",
            "Seconds since a worker last ran beat's heartbeat task (absent: never).",
            age,
        )


def authorised(request) -> bool:
    expected = settings.NRM_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), expected)


@never_cache
@require_GET
def metrics(request):
    if not settings.NRM_METRICS_TOKEN:
        raise Http404  # metrics off: nothing tells a visitor they exist
    if not authorised(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)  # every gunicorn worker's figures, summed
    else:
        requests = REGISTRY
    runtime = CollectorRegistry(auto_describe=False)
    runtime.register(RuntimeCollector())
    body = generate_latest(requests) + generate_latest(runtime)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
