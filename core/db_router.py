"""Reads of dashboards, statistics and exports from a read replica, never after a write.

With DATABASE_REPLICA_URL set, a request to one of the views named in NRM_REPLICA_VIEWS reads
the rows of the case-work apps (NRM_REPLICA_APPS) from the replica, taking that load off the
primary; everything else reads the primary. Within such a request, the first write (other than
the audit log's own line: an export records itself before listing, and never reads it back)
sends every later read of the request to the primary, so a page never shows a replica that has
not caught up with what the same request just wrote. Accounts, sessions, tokens and access
grants are always read from the primary: a revocation takes effect on the next request.
Reads inside a transaction stay on the primary too.
"""

import contextvars
from fnmatch import fnmatch

from django.conf import settings
from django.core.signals import request_finished
from django.db import connections
from django.dispatch import receiver

REPLICA = "replica"
# A write to these does not pin the request to the primary (nothing reads them back in it).
NOT_PINNING = {"audit"}
# Never from the replica, even in an allowed view: who may see what must be current.
ALWAYS_PRIMARY = {"cases.accessgrant", "cases.caseuserobjectpermission"}

# None: this request (or task) may not read from the replica; else {"wrote": bool}.
_window: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "replica_window", default=None
)


def in_transaction() -> bool:
    # The blocks the code opened; a test case's wrapping transaction is not one of them.
    blocks = connections["default"].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        window = _window.get()
        if window is None or window["wrote"] or not replica_configured():
            return None
        meta = model._meta
        if meta.app_label not in settings.NRM_REPLICA_APPS or meta.label_lower in ALWAYS_PRIMARY:
            return None
        if in_transaction():
            return None  # a transaction reads its own snapshot
        return REPLICA

    def db_for_write(self, model, **hints):
        window = _window.get()
        if window is not None and model._meta.app_label not in NOT_PINNING:
            window["wrote"] = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary by itself


def reads_from_replica(view_name: str) -> bool:
    return any(fnmatch(view_name, pattern) for pattern in settings.NRM_REPLICA_VIEWS)


class ReplicaMiddleware:
    """Opens the replica window for the views of NRM_REPLICA_VIEWS, until the response is
    closed (a streamed export reads its rows after the view has returned)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Closed at each start too: a request whose response was never closed (the client went
        # away) must not leave the window open for the thread's next request.
        _window.set(None)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if replica_configured() and match and reads_from_replica(match.view_name):
            _window.set({"wrote": False})
        return None


@receiver(request_finished, dispatch_uid="core.db_router.close_window")
def _close_window(**kwargs):
    _window.set(None)
