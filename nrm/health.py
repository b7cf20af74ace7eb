"""Health probes for load balancers and orchestrators: /healthz (the process answers) and
/readyz (the database answers: without it nothing works, 503; the broker and the cache are
speed-ups, so without them the answer is 200 "degraded", saying which). /readyz also reports
the worker heartbeat (beat queued it, a worker ran it: reminders and e-mails are flowing) and
the e-mail outbox's backlog, "degraded" when the heartbeat is stale or an e-mail has waited too
long. Neither needs a login nor reveals any data (counts and ages only)."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from .metrics import heartbeat_age, outbox_figures

logger = logging.getLogger(__name__)

# A probe must answer within the load balancer's patience even when a dependency hangs.
PROBE_TIMEOUT_SECONDS = 2


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": PROBE_TIMEOUT_SECONDS,
        "socket_timeout": PROBE_TIMEOUT_SECONDS,
    }
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=PROBE_TIMEOUT_SECONDS,
        transport_options=options,
    ) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=PROBE_TIMEOUT_SECONDS)
        _ = broker.default_channel  # opening a channel talks to the broker (PING on Redis)


def check_cache() -> None:
    from django.core.cache import cache

    from core.cache import redis_paused

    if redis_paused():
        raise ConnectionError("Redis did not answer a moment ago; pages compute without it")
    cache.get("readyz")


def check_worker() -> None:
    age = heartbeat_age()
    if age is None:
        raise RuntimeError("no worker has run beat's heartbeat task yet")
    if age > settings.NRM_HEARTBEAT_STALE_SECONDS:
        raise RuntimeError(f"last heartbeat {age:.0f} s ago: beat or the workers have stopped")


def check_outbox() -> None:
    waited = outbox_figures()["oldest_due_seconds"]
    if waited is not None and waited > settings.NRM_OUTBOX_STALE_SECONDS:
        raise RuntimeError(f"an e-mail has waited {waited:.0f} s to be sent")


def figures() -> dict:
    """The worker heartbeat and the outbox, as numbers (None where unreadable)."""
    try:
        outbox = outbox_figures()
        return {
            "worker_heartbeat_age_seconds": _rounded(heartbeat_age()),
            "outbox_backlog": outbox["backlog"],
            "outbox_oldest_due_seconds": _rounded(outbox["oldest_due_seconds"]),
        }
    except Exception as exc:  # the database check already says why
        logger.warning("readiness figures unreadable: %s", exc)
        return {}


def _rounded(value):
    return None if value is None else round(value)


CHECKS = {
    "database": check_database,
    "broker": check_broker,
    "cache": check_cache,
    "worker": check_worker,
    "outbox": check_outbox,
}
# Without these the pages still work (slower, e-mails later): "degraded", not "unavailable".
OPTIONAL = {"broker", "cache", "worker", "outbox"}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the reason says which
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = f"unavailable: {type(exc).__name__}: {exc}"[:300]
        else:
            results[name] = "ok"
    failed = {name for name, result in results.items() if result != "ok"}
    status = "unavailable" if failed - OPTIONAL else ("degraded" if failed else "ok")
    return JsonResponse(
        {"status": status, "checks": results, "figures": figures()},
        status=503 if status == "unavailable" else 200,
    )
