"""Retention (PDPA s.33, s.37(3)): each kind of record is kept for its rule's years after the
case closes, then erased by a periodic run, unless a legal hold keeps it (an open prosecution
or compensation claim on one of the person's cases, an open request of the person). The
statistics' fields stay: sex, date of birth, nationality, the cases' dates, statuses and
outcomes (reports counts the same totals after a run). A dry run lists what a run would do."""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case, CaseDocument, CaseEvent, CaseNote, IdentityDocument, Person
from cases.workflow import CaseStatus
from core.domain import ensure
from justice.models import CompensationClaim, Prosecution
from justice.workflow import OPEN_CLAIM_STATES, OPEN_PROSECUTION_STATES
from notifications.matrix import announce

from ..models import Erasure, RecordKind, RetentionRule, RetentionRun, SubjectRequest
from ..permissions import is_officer
from ..workflow import OPEN_REQUEST_STATES

# Why a legal hold keeps a person's records (the run's plan stores the code).
HOLDS = {
    "justice": _("An open prosecution or compensation claim"),
    "request": _("An open request of the person"),
}


@dataclass
class Plan:
    """What a run erases: (case, kind) pairs; and what a legal hold keeps, with the reason."""

    erase: list[tuple[Case, str]] = field(default_factory=list)
    held: list[tuple[Case, str, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "erase": [[case.number, kind] for case, kind in self.erase],
            "held": [[case.number, kind, reason] for case, kind, reason in self.held],
        }


def _past_their_time(kind: str, years: int, now: dt.datetime) -> QuerySet[Case]:
    """Closed cases whose last closing is more than `years` ago and whose `kind` of record is
    not erased yet."""
    closed = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.CLOSED)
        .values("case")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        Case.objects.filter(status=CaseStatus.CLOSED)
        .annotate(closed_at=closed)
        .filter(closed_at__lte=now - relativedelta(years=years))
        .exclude(Exists(Erasure.objects.filter(case=OuterRef("pk"), kind=kind)))
        .select_related("person")
        .order_by("pk")
    )


def _hold(case: Case) -> str:
    """Why a legal hold keeps the records of the case's person, or ""."""
    cases = Case.objects.filter(person_id=case.person_id)
    if (
        Prosecution.objects.filter(case__in=cases, status__in=OPEN_PROSECUTION_STATES).exists()
        or CompensationClaim.objects.filter(case__in=cases, status__in=OPEN_CLAIM_STATES).exists()
    ):
        return "justice"
    if SubjectRequest.objects.filter(
        person_id=case.person_id, status__in=OPEN_REQUEST_STATES
    ).exists():
        return "request"
    return ""


def retention_plan(*, now: dt.datetime | None = None) -> Plan:
    """What a run would erase now, and what legal holds keep. A person's identity goes only
    once every one of their cases is past its time: a person with a case still open or
    recent keeps their name."""
    now = now or timezone.now()
    plan = Plan()
    for rule in RetentionRule.objects.all():
        due = list(_past_their_time(rule.kind, rule.years_after_closure, now))
        if rule.kind == RecordKind.IDENTITY:
            due_ids = {case.pk for case in due}
            others = Case.objects.filter(
                person_id__in={case.person_id for case in due}
            ).values_list("pk", "person_id")
            kept = {person for pk, person in others if pk not in due_ids}
            due = [case for case in due if case.person_id not in kept]
        for case in due:
            reason = _hold(case)
            if reason:
                plan.held.append((case, rule.kind, reason))
            else:
                plan.erase.append((case, rule.kind))
    return plan


def _erase(case: Case, kind: str) -> None:
    if kind == RecordKind.NOTES_AND_DOCUMENTS:
        CaseNote.objects.filter(case=case).update(text="")
        for document in CaseDocument.objects.filter(case=case).exclude(file=""):
            # The file goes once the erasure is committed: a rolled-back run keeps it.
            transaction.on_commit(lambda f=document.file: f.storage.delete(f.name))
        CaseDocument.objects.filter(case=case).update(file="", original_name="", description="")
    else:
        # A person keeps a name by a constraint: a code that says what happened, and nothing
        # of who they were.
        Person.objects.filter(pk=case.person_id).update(
            name_th="",
            name_latin=f"ANON-{case.person_id}",
            name_native="",
            aliases=[],
            name_key="",
            phone="",
        )
        IdentityDocument.objects.filter(person_id=case.person_id).delete()


@transaction.atomic
def retention_run(*, dry_run: bool, actor: User | None = None, now=None) -> RetentionRun:
    """Erase what is past its time (retention_plan), or with `dry_run` only list it.

    Asked by the beat (no actor) or by the data protection officer. Side effects: a
    RetentionRun with the plan; for a real run, the records erased, one
    Erasure and one AuditEvent per case and kind, the documents' files deleted after commit.
    """
    if actor is not None:
        ensure(is_officer(actor), _("Only the data protection officer asks for a retention run."))
    plan = retention_plan(now=now)
    run = RetentionRun.objects.create(dry_run=dry_run, actor=actor, plan=plan.as_json())
    if dry_run:
        return run
    for case, kind in plan.erase:
        _erase(case, kind)
        Erasure.objects.create(case=case, kind=kind, run=run)
        audit_record(
            action=AuditEvent.Action.UPDATE,
            actor=actor,
            username="" if actor else "system",
            obj=case,
            changes={"retention": kind, "run": run.pk},
        )
    announce("privacy.retention_anonymised")
    return run
