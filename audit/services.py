"""Writing the audit log."""

import functools
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router

from .context import request_ip
from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address as the web server saw it (the current request's when none is
    given).

    Behind the reverse proxies named in settings.TRUSTED_PROXIES, REMOTE_ADDR already holds
    the client's address (core.network.TrustedProxyMiddleware); an X-Forwarded-For from any
    other peer is never believed, as anyone could forge it.
    """
    return request.META.get("REMOTE_ADDR") if request is not None else request_ip.get()


def audit_record(
    *,
    action: str,
    actor=None,
    username: str = "",
    obj: models.Model | None = None,
    changes: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction, so that a rolled-back
    change leaves no trace claiming it happened)."""
    event = _event(action, actor, username, obj, changes, client_ip(request))
    _append(event)
    return event


def _append(event: AuditEvent) -> None:
    """`event.save()` without compiling the same INSERT again each time: every audited page and
    API list writes one row, and Django's compiler cost more than the insert itself
    (docs/PERFORMANCE.md). The values pass through each field's `pre_save` and
    `get_db_prep_save`, as `save()` passes them; the model has no signal receivers."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    params = [
        field.get_db_prep_save(field.pre_save(event, True), connection) for field in _INSERTED
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(alias), params)
        if connection.features.can_return_columns_from_insert:
            event.pk = cursor.fetchone()[0]
        else:
            event.pk = connection.ops.last_insert_id(cursor, AuditEvent._meta.db_table, "id")
    event._state.adding = False
    event._state.db = alias


_INSERTED = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


@functools.cache
def _insert_sql(alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _INSERTED)
    values = ", ".join(["%s"] * len(_INSERTED))
    table = quote(AuditEvent._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608 (the model's names)
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(AuditEvent._meta.pk.column)}"
    return sql


def audit_record_many(
    *, action: str, actor, objects: Iterable[models.Model], request=None
) -> list[AuditEvent]:
    """audit_record for many objects at once (a mass intake's persons, cases and screenings):
    one insert, in the caller's transaction."""
    ip_address = client_ip(request)
    return AuditEvent.objects.bulk_create(
        [_event(action, actor, "", obj, None, ip_address) for obj in objects]
    )


def _event(action, actor, username, obj, changes, ip_address) -> AuditEvent:
    if actor is not None and not username:
        username = actor.get_username()
    return AuditEvent(
        actor=actor,
        username=username[:150],
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
        ip_address=ip_address,
    )
