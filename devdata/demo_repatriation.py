"""Demo repatriations (issue 18), made through the services: a Myanmar victim handed over and
confirmed, another Myanmar victim's plan under way (living in a shelter where there is one), and
a Thai victim's reintegration in her home province."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Province
from cases.models import Case
from cases.services import consent_record
from repatriation import services
from repatriation.models import CounterpartAgency, Repatriation
from shelters.models import PlacementStatus

# The moves after the plan, to each demo state.
PATHS = {
    "assessed": ["send", "assess"],
    "scheduled": ["send", "assess", "schedule"],
    "confirmed": ["send", "assess", "schedule", "hand_over", "confirm"],
}


@transaction.atomic
def seed_demo_repatriations() -> int:
    """Plan and move three returns home; returns how many (none when some exist already)."""
    if Repatriation.objects.exists():
        return 0
    victims = (
        Case.objects.filter(screenings__status="decided", status="open", lead_worker__isnull=False)
        .select_related("person", "lead_worker", "owner")
        .order_by("pk")
        .distinct()
    )
    in_shelter = {case.pk for case in victims.filter(placements__status=PlacementStatus.ADMITTED)}
    myanmar = [case for case in victims if case.person.nationality == "MM"]
    myanmar.sort(key=lambda case: case.pk in in_shelter)  # one living outside a shelter first
    thai = [case for case in victims if case.person.nationality == "TH"]
    plans = []
    if myanmar:
        plans.append((myanmar[0], "confirmed"))
    if len(myanmar) > 1:
        plans.append((myanmar[-1], "scheduled"))
    if thai:
        plans.append((thai[0], "assessed"))
    for case, state in plans:
        _return_home(case, state)
    return len(plans)


def _return_home(case: Case, state: str) -> None:
    worker, today = case.lead_worker, timezone.localdate()
    consent_record(
        case=case, actor=worker, step="repatriation", decision="given", rights_notified=True
    )
    abroad = case.person.nationality != "TH"
    repatriation = services.repatriation_plan(
        actor=worker,
        case_id=case.pk,
        counterpart=CounterpartAgency.objects.get(code="mm-dsw") if abroad else None,
        province=None if abroad else Province.objects.get(code="57"),
        destination="เมืองเมียวดี รัฐกะเหรี่ยง กลับไปอยู่กับมารดา"
        if abroad
        else "อ.แม่สาย จ.เชียงราย กลับไปอยู่กับบิดามารดา",
        plan="นักสังคมสงเคราะห์และล่ามเดินทางไปส่ง ประสานการฝึกอาชีพและการติดตามผลหลังกลับ",
        travel_document="certificate_of_identity" if abroad else "",
        travel_document_number=f"CI-{today.year + 543}-{case.pk:04d}" if abroad else "",
    )
    for move in PATHS[state]:
        _move(move, repatriation.pk, worker, today)


def _move(move: str, repatriation_id: int, worker, today: dt.date) -> None:
    match move:
        case "send":
            services.repatriation_send(repatriation_id=repatriation_id, actor=worker)
        case "assess":
            services.repatriation_assess(
                repatriation_id=repatriation_id,
                actor=worker,
                assessment="ครอบครัวพร้อมรับกลับ ชุมชนปลอดภัย มีงานรองรับ",
                assessed_on=today,
            )
        case "schedule":
            services.repatriation_schedule(
                repatriation_id=repatriation_id,
                actor=worker,
                handover_on=today + dt.timedelta(days=5),
                handover_place="สะพานมิตรภาพไทย-เมียนมา แห่งที่ 1 อ.แม่สอด จ.ตาก",
            )
        case "hand_over":
            services.repatriation_hand_over(
                repatriation_id=repatriation_id, actor=worker, note="ส่งมอบตัวพร้อมเอกสาร"
            )
        case "confirm":
            services.repatriation_confirm(
                repatriation_id=repatriation_id,
                actor=worker,
                confirmed_on=today,
                reference="DSW-MWD/2569/041",
            )
