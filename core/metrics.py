"""Request metrics for Prometheus, and what the broker holds.

`RequestMetricsMiddleware` times each request by its view (the URL name, a bounded set) and
counts responses by status class, so an error rate and a latency per page can be alerted on.
With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (an empty directory) so that the
figures of all workers are summed at scrape time (deploy/gunicorn.conf.py cleans it).
`broker_queues()` reads the Celery queues' length and the age of their oldest message, from
Redis or from the embedded file-system broker.
"""

import json
import time
from pathlib import Path

from django.conf import settings
from prometheus_client import Counter, Histogram

from core.logs import QUEUED_AT

REQUEST_SECONDS = Histogram(
    "nrm_http_request_duration_seconds",
    "Time to answer a request, by view (URL name) and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120),
)
RESPONSES = Counter(
    "nrm_http_responses_total",
    "Responses by view (URL name), method and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "method", "status"],
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            self._record(request, started, 500)
            raise
        self._record(request, started, response.status_code)
        return response

    @staticmethod
    def _record(request, started, status):
        match = getattr(request, "resolver_match", None)
        # An unknown path is one label, not one per path a scanner tries.
        view = (match.view_name if match else "") or "unresolved"
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(view, method).observe(time.perf_counter() - started)
        RESPONSES.labels(view, method, f"{status // 100}xx").inc()


def queue_names() -> list[str]:
    return [getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")]


def broker_queues() -> dict[str, tuple[int, float | None]]:
    """Each queue's waiting messages and the age in seconds of the oldest (None: empty or
    unknown)."""
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        return _redis_queues(url)
    if url.startswith("filesystem://"):
        return _folder_queues(Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
    return {}


def _redis_queues(url: str) -> dict[str, tuple[int, float | None]]:
    import redis

    # kombu keeps one list per priority step: the queue's name, then name + "\x06\x16" + step.
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    figures = {}
    now = time.time()
    try:
        for queue in queue_names():
            keys = [queue] + [f"{queue}\x06\x16{step}" for step in (3, 6, 9)]
            length, oldest = 0, None
            for key in keys:
                length += client.llen(key)
                # Published with LPUSH, taken with RPOP: the oldest is at the right end.
                tail = client.lindex(key, -1)
                queued_at = _queued_at(tail)
                if queued_at is not None:
                    age = max(0.0, now - queued_at)
                    oldest = age if oldest is None else max(oldest, age)
            figures[queue] = (length, oldest)
    finally:
        client.close()
    return figures


def _queued_at(raw: bytes | None) -> float | None:
    if not raw:
        return None
    try:
        value = json.loads(raw).get("headers", {}).get(QUEUED_AT)
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def _folder_queues(folder: Path) -> dict[str, tuple[int, float | None]]:
    # kombu's file-system transport: one file per message, named <time>_<id>.<queue>.msg.
    figures = {}
    now = time.time()
    for queue in queue_names():
        ages = []
        for message in folder.glob(f"*.{queue}.msg"):
            try:
                ages.append(max(0.0, now - message.stat().st_mtime))
            except FileNotFoundError:  # taken by a worker meanwhile
                continue
        figures[queue] = (len(ages), max(ages) if ages else None)
    return figures
