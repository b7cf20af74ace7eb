"""Demo referrals in every state (DESIGN.md §9), made through the services."""

from django.db import transaction

from accounts.models import Organisation, User
from cases.models import Case
from referrals import services
from referrals.models import Referral
from shelters.models import Placement
from shelters.selectors import section_warnings
from shelters.services import care_plan_item_add, placement_admit, placement_discharge

# The path each demo referral takes: the moves after creation, in order.
PATHS = [
    ["draft"],
    ["submit"],
    ["submit", "acknowledge"],
    ["submit", "acknowledge", "accept"],
    ["submit", "acknowledge", "accept", "endorse", "admit"],
    ["submit", "acknowledge", "accept", "admit", "discharge"],
    ["submit", "acknowledge", "decline"],
    ["submit", "acknowledge", "decline", "redirect"],
    ["submit", "withdraw"],
    ["submit", "query"],
    ["submit", "query", "answer", "endorse"],
    ["submit", "escalate"],
]


@transaction.atomic
def seed_demo_referrals() -> int:
    """Refer the demo victims to the shelter that fits them; returns how many referrals."""
    if Referral.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    shelters = {
        "female": Organisation.objects.get(code="shelter-kredtrakarn"),
        "male": Organisation.objects.get(code="shelter-pathumthani"),
    }
    directors = {"female": users["dir.kredtrakarn"], "male": users["dir.pathumthani"]}
    reviewer = users["central.reviewer"]
    cases = (
        Case.objects.filter(screenings__status="decided", status="open")
        .select_related("person", "lead_worker")
        .order_by("pk")
        .distinct()
    )
    created = 0
    for case, path in zip(cases, PATHS, strict=False):
        sex = "female" if case.person.sex == "female" else "male"
        worker, director = case.lead_worker, directors[sex]
        referral = services.referral_create(
            actor=worker,
            case_id=case.pk,
            to_organisation=shelters[sex],
            kind="shelter_placement",
            reason="ผู้เสียหายต้องการที่พักที่ปลอดภัยและการฟื้นฟูสภาพจิตใจ",
            consent="not_required" if case.person.is_child else "given",
            consent_note="เด็ก: ผู้ปกครองตามกฎหมายให้ความเห็นชอบ" if case.person.is_child else "",
            consent_now=not case.person.is_child,
            services_requested=["shelter", "psychosocial", "legal_aid"],
        )
        created += 1
        for move in path[1:] if path[0] == "draft" else path:
            _apply(move, referral.pk, worker=worker, director=director, reviewer=reviewer, sex=sex)
        created += path.count("redirect")
    return created


def _apply(move, referral_id, *, worker, director, reviewer, sex):
    match move:
        case "submit":
            services.referral_submit(referral_id=referral_id, actor=worker)
        case "acknowledge":
            services.referral_acknowledge(referral_id=referral_id, actor=director)
        case "accept":
            services.referral_accept(referral_id=referral_id, actor=director)
        case "decline":
            services.referral_decline(
                referral_id=referral_id, actor=director, reason="no_bed", note="ส่วนพักเต็ม"
            )
        case "admit":
            shelter = Organisation.objects.get(
                pk=Referral.objects.get(pk=referral_id).to_organisation_id
            )
            person = Referral.objects.get(pk=referral_id).case.person
            # The first section meant for the person, in this order of preference.
            order = ["women", "girls", "men", "boys", "families", "accessible", "lgbtqi"]
            units = sorted(shelter.shelter.units.all(), key=lambda u: order.index(u.section))
            unit = next(u for u in units if not section_warnings(unit=u, person=person))
            placement = placement_admit(referral_id=referral_id, unit_id=unit.pk, actor=director)
            care_plan_item_add(
                placement_id=placement.pk,
                actor=director,
                service="psychosocial",
                status="in_progress",
            )
        case "discharge":
            placement = Placement.objects.get(referral_id=referral_id)
            placement_discharge(placement_id=placement.pk, actor=director, reason="reintegrated")
        case "withdraw":
            services.referral_withdraw(referral_id=referral_id, actor=worker, reason="ครอบครัวรับกลับ")
        case "endorse":
            services.referral_review(referral_id=referral_id, actor=reviewer, decision="endorse")
        case "query":
            services.referral_review(
                referral_id=referral_id, actor=reviewer, decision="query", note="ขอผลการตรวจสุขภาพ"
            )
        case "escalate":
            services.referral_review(
                referral_id=referral_id,
                actor=reviewer,
                decision="escalate",
                note="ต้องการการตัดสินใจระดับกอง",
            )
        case "answer":
            services.referral_answer_query(
                referral_id=referral_id, actor=worker, answer="แนบผลตรวจแล้ว"
            )
        case "redirect":
            services.referral_redirect(
                referral_id=referral_id,
                actor=reviewer,
                to_organisation=Organisation.objects.get(
                    code="shelter-narisawat" if sex == "female" else "shelter-songkhla"
                ),
                note="ส่งต่อไปยังสถานคุ้มครองที่มีเตียงว่าง",
            )
