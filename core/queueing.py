"""Queue a task without letting a down broker slow or fail the request.

The work a request queues after its commit (send the outbox now, import a confirmed file) is
also picked up by a periodic job when the queueing fails, so a broker that does not answer
must cost the user nothing: a short connection timeout, no retries, and after a failure no
further try for PAUSE seconds.
"""

import logging
import time

logger = logging.getLogger(__name__)

PAUSE = 30.0
TIMEOUT = 0.5
_down_until = [0.0]


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)` to the workers now; False when the broker did not take it."""
    if time.monotonic() < _down_until[0]:
        logger.info(
            "queue: broker paused after a failure; %s waits for its periodic job", task.name
        )
        return False
    options = {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT}
    try:
        with task.app.connection_for_write(
            connect_timeout=TIMEOUT, transport_options=options
        ) as connection:
            task.apply_async(args=args, kwargs=kwargs, retry=False, connection=connection)
    except Exception as exc:  # kombu and redis raise several kinds for an unreachable broker
        _down_until[0] = time.monotonic() + PAUSE
        logger.warning("queue: could not send %s now (%s)", task.name, exc)
        return False
    return True
