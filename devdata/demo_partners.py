"""Demo of the partner agencies on a case (issue 21): a Chiang Mai case whose MDT interview is
on record, shared by the office's supervisor with a police officer and a labour inspector for
a month, each agency with a task on the case's plan."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import AccessGrant, Case, SharedPart
from cases.services import access_grant_give
from partners.services import plan_task_add

# username, partner code, purpose, parts shared, task, due in days
SHARES = [
    (
        "pol.chiangmai",
        "partner-police-50",
        "สอบปากคำผู้เสียหายเพื่อดำเนินคดี",
        [SharedPart.IDENTITY, SharedPart.SCREENING, SharedPart.INTERVIEWS],
        "บันทึกคำให้การผู้เสียหายในคดีอาญา โดยอ่านบันทึกสัมภาษณ์ก่อน",
        5,
    ),
    (
        "labour.chiangmai",
        "partner-labour-50",
        "ตรวจสถานประกอบการและคำนวณค่าจ้างค้างจ่าย",
        [SharedPart.IDENTITY, SharedPart.INTERVIEWS],
        "ตรวจสถานประกอบการและคำนวณค่าจ้างค้างจ่าย",
        10,
    ),
]


@transaction.atomic
def seed_demo_partners_on_a_case() -> int:
    """Share one Chiang Mai case with the demo partners unless shared already; returns how
    many shares were made."""
    if AccessGrant.objects.filter(organisation__kind=Organisation.Kind.PARTNER).exists():
        return 0
    case = (
        Case.objects.filter(
            owner__code="pso-50", status="open", screenings__interviews__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    supervisor = User.objects.get(username="sup.chiangmai")
    now = timezone.now()
    for username, code, purpose, parts, task, days in SHARES:
        organisation = Organisation.objects.get(code=code)
        access_grant_give(
            case=case,
            actor=supervisor,
            user=User.objects.get(username=username),
            organisation=organisation,
            parts=parts,
            purpose=purpose,
            expires_at=now + dt.timedelta(days=30),
        )
        plan_task_add(
            case=case,
            actor=supervisor,
            organisation=organisation,
            title=task,
            due_on=timezone.localdate() + dt.timedelta(days=days),
        )
    return len(SHARES)
