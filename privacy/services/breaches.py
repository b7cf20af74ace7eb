"""The breach register's writes: record, assess, report to the regulator (or decide it is not
reportable), record that the persons were told, close. Each locks the row, checks the move
(workflow.BREACH_TRANSITIONS) and that the actor is the data protection officer, saves, writes
an AuditEvent, closes the 72-hour clock when the regulator is answered, and tells the audiences
of notifications.matrix, in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Clock
from sla.services import deadline_close, deadline_open

from ..models import Breach, Risk
from ..permissions import is_officer
from ..selectors import persons_read_by
from ..workflow import BREACH_TRANSITIONS, BreachStatus
from ._common import central_division, central_head, data_protection_officers, lazy_format_datetime

LABELS = dict(BreachStatus.choices)


def _officer(actor: User) -> None:
    ensure(is_officer(actor), _("Only the data protection officer keeps the breach register."))


def _lock(breach_id: int, actor: User, target: str | None = None) -> Breach:
    breach = Breach.objects.select_for_update().get(pk=breach_id)
    if target is not None:
        ensure_transition(breach.status, target, BREACH_TRANSITIONS, LABELS)
    _officer(actor)
    return breach


def _answer_regulator(breach: Breach, actor: User, target: str, *, at: dt.datetime) -> None:
    """The move that answers the 72-hour clock (reported, or not reportable): saved, the clock
    closed at `at` (met, or breached if late), audited, the head of the division told."""
    breach.status = target
    breach.save()
    deadline_close(clock=Clock.BREACH_REPORT, obj=breach, at=at)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=breach,
        changes={"status": target, "at": at.isoformat()},
    )
    announce(
        "privacy.breach_reported"
        if target == BreachStatus.REPORTED
        else "privacy.breach_not_reportable",
        to={Audience.CENTRAL_HEAD: central_head()},
        actor=actor,
        link=breach.get_absolute_url(),
        number=breach.number,
    )


@transaction.atomic
def breach_record(
    *,
    actor: User,
    summary: str,
    discovered_at: dt.datetime,
    description: str = "",
    occurred_at: dt.datetime | None = None,
    account: User | None = None,
    period_start: dt.datetime | None = None,
    period_end: dt.datetime | None = None,
    affected_elsewhere: int = 0,
) -> Breach:
    """Record a breach from the moment the organisation became aware of it.

    Side effects: the persons whose records the account involved opened in the period are
    read from the audit log; the 72-hour clock (sla.Clock.BREACH_REPORT, real hours) starts
    at `discovered_at`; an AuditEvent; the data protection officers and the head of the
    central division are told.
    """
    _officer(actor)
    now = timezone.now()
    errors = {}
    if not summary.strip():
        errors["summary"] = _("Say what happened.")
    if discovered_at > now:
        errors["discovered_at"] = _("The time you became aware of it cannot be in the future.")
    if occurred_at is not None and occurred_at > discovered_at:
        errors["occurred_at"] = _("A breach happens before anyone becomes aware of it.")
    if account is not None and (period_start is None or period_end is None):
        errors["period_start"] = _("Give the period in which the account was misused.")
    if period_start and period_end and period_start > period_end:
        errors["period_end"] = _("The period ends after it starts.")
    if errors:
        raise ValidationError(errors)
    breach = Breach.objects.create(
        summary=summary.strip(),
        description=description,
        discovered_at=discovered_at,
        occurred_at=occurred_at,
        account=account,
        period_start=period_start if account else None,
        period_end=period_end if account else None,
        affected_elsewhere=affected_elsewhere,
        recorded_by=actor,
    )
    if account is not None:
        breach.affected_persons.set(
            persons_read_by(account=account, start=period_start, end=period_end)
        )
    deadline = deadline_open(
        clock=Clock.BREACH_REPORT, obj=breach, organisation=central_division(), start=discovered_at
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=breach,
        changes={
            "discovered_at": discovered_at.isoformat(),
            "persons_affected": breach.affected_persons.count(),
        },
    )
    announce(
        "privacy.breach_recorded",
        to={
            Audience.DATA_PROTECTION: data_protection_officers(),
            Audience.CENTRAL_HEAD: central_head(),
        },
        actor=actor,
        link=breach.get_absolute_url(),
        number=breach.number,
        due=lazy_format_datetime(deadline.due_at),
    )
    return breach


@transaction.atomic
def breach_assess(
    *, breach_id: int, actor: User, risk: str, risk_assessment: str, measures: str = ""
) -> Breach:
    """Record the risk assessment and the measures so far (while the breach is open).

    Side effects: an AuditEvent.
    """
    breach = _lock(breach_id, actor)
    if breach.status != BreachStatus.OPEN:
        ensure_transition(breach.status, BreachStatus.OPEN, BREACH_TRANSITIONS, LABELS)
    if not risk_assessment.strip():
        raise ValidationError({"risk_assessment": _("Say why the risk is what you chose.")})
    breach.risk = Risk(risk)
    breach.risk_assessment = risk_assessment.strip()
    breach.measures = measures.strip() or breach.measures
    breach.save(update_fields=["risk", "risk_assessment", "measures", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE, actor=actor, obj=breach, changes={"risk": breach.risk}
    )
    announce("privacy.breach_assessed")
    return breach


@transaction.atomic
def breach_report(
    *, breach_id: int, actor: User, reported_at: dt.datetime, regulator_reference: str = ""
) -> Breach:
    """Record the report to the regulator (the Office of the Personal Data Protection
    Committee). Refused before the risk is assessed, or when it was assessed as unlikely.

    Side effects: the 72-hour clock closes (met, or breached if late); an AuditEvent; the head
    of the central division is told.
    """
    breach = _lock(breach_id, actor, BreachStatus.REPORTED)
    if breach.risk in ("", Risk.UNLIKELY):
        raise ValidationError(
            {"reported_at": _("Assess the risk first: a breach that may harm someone is reported.")}
        )
    if not breach.discovered_at <= reported_at <= timezone.now():
        raise ValidationError(
            {
                "reported_at": _(
                    "The report was made after the breach was known, and not later than now."
                )
            }
        )
    breach.reported_at = reported_at
    breach.regulator_reference = regulator_reference.strip()
    _answer_regulator(breach, actor, BreachStatus.REPORTED, at=reported_at)
    return breach


@transaction.atomic
def breach_not_reportable(*, breach_id: int, actor: User) -> Breach:
    """Decide that the breach is not reported: its risk was assessed as unlikely to harm
    anyone (s.37(4)).

    Side effects: the 72-hour clock closes; an AuditEvent; the head of the central division is
    told (they may disagree).
    """
    breach = _lock(breach_id, actor, BreachStatus.NOT_REPORTABLE)
    if breach.risk != Risk.UNLIKELY:
        raise ValidationError(
            {"risk": _("Only a breach assessed as unlikely to harm anyone goes unreported.")}
        )
    _answer_regulator(breach, actor, BreachStatus.NOT_REPORTABLE, at=timezone.now())
    return breach


@transaction.atomic
def breach_persons_told(*, breach_id: int, actor: User, told_at: dt.datetime) -> Breach:
    """Record when the affected persons were told (required when the risk is high).

    Side effects: an AuditEvent.
    """
    breach = _lock(breach_id, actor)
    if not breach.discovered_at <= told_at <= timezone.now():
        raise ValidationError(
            {
                "told_at": _(
                    "The persons were told after the breach was known, and not later than now."
                )
            }
        )
    breach.persons_told_at = told_at
    breach.save(update_fields=["persons_told_at", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=breach,
        changes={"persons_told_at": told_at.isoformat()},
    )
    announce("privacy.breach_persons_told")
    return breach


@transaction.atomic
def breach_close(*, breach_id: int, actor: User, measures: str) -> Breach:
    """Close the breach with the measures taken. Refused while the persons of a high-risk
    breach have not been told.

    Side effects: an AuditEvent.
    """
    breach = _lock(breach_id, actor, BreachStatus.CLOSED)
    errors = {}
    if not (measures.strip() or breach.measures):
        errors["measures"] = _("Say what was done so that it does not happen again.")
    if breach.persons_must_be_told and breach.persons_told_at is None:
        errors["measures"] = _("The persons of a high-risk breach must be told before it closes.")
    if errors:
        raise ValidationError(errors)
    breach.status = BreachStatus.CLOSED
    breach.measures = measures.strip() or breach.measures
    breach.save(update_fields=["status", "measures", "updated_at"])
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=breach,
        changes={"status": breach.status},
    )
    announce("privacy.breach_closed")
    return breach
