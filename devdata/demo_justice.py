"""Demo court cases and compensation claims (issue 18) in every state, made through the
services: police cases in investigation, before the court with hearings coming (one for a
shelter resident, whose shelter is reminded too), judged and closed without judgment; claims
from the offender and from the Fund, waiting, awarded, paid, unpaid, rejected and withdrawn;
and an s.37 permit beside them."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.services import permit_record
from justice import services
from justice.models import Prosecution

STATIONS = ["สภ.แม่สอด", "สภ.เมืองเชียงใหม่", "สน.ทุ่งมหาเมฆ", "สภ.ฝาง", "สน.ลุมพินี"]
COURT = "ศาลอาญาคดีค้ามนุษย์"


@transaction.atomic
def seed_demo_justice() -> int:
    """Court cases on the identified victims' open cases, residents first; returns how many."""
    if Prosecution.objects.exists():
        return 0
    cases = list(
        Case.objects.filter(
            status="open",
            lead_worker__isnull=False,
            screenings__outcome__in=["victim_trafficking", "victim_forced_labour"],
        )
        .select_related("lead_worker", "person")
        .order_by("pk")
        .distinct()
    )
    # A shelter resident first: their shelter is reminded of the hearing too.
    cases.sort(key=lambda case: not case.placements.filter(status="admitted").exists())
    paths = [_before_court_resident, _judged, _before_court, _investigation, _dropped, _fund_only]
    for case, path in zip(cases[: len(paths)], paths, strict=False):
        path(case, case.lead_worker)
    # A foreign victim stays and works during the proceedings (s.37): the permit beside them.
    foreign = [case for case in cases[: len(paths)] if case.person.nationality != "TH"]
    for case in foreign[:1]:
        permit_record(
            case=case,
            actor=case.lead_worker,
            reference="ตม. 37/2569",
            issued_on=_days_ago(90),
            expires_on=_days_ago(90) + dt.timedelta(days=365),
        )
    return Prosecution.objects.count()


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _police_case(case, worker, n: int, **fields):
    return services.prosecution_record(
        case=case,
        actor=worker,
        offence=fields.pop("offence", "trafficking"),
        police_station=STATIONS[n % len(STATIONS)],
        police_case_number=f"{100 + n}/2569",
        officer_name="พ.ต.ท. วิชัย ทองมา",
        officer_phone="081-234-5678",
        reported_on=_days_ago(120),
    )


def _charge(prosecution, worker, n: int):
    return services.prosecution_charge(
        prosecution_id=prosecution.pk,
        actor=worker,
        prosecutor_office="สำนักงานอัยการสูงสุด สำนักงานคดีค้ามนุษย์",
        court=COURT,
        court_case_number=f"คม.{20 + n}/2569",
        charged_on=_days_ago(60),
    )


def _witness(prosecution, worker, language: str):
    services.prosecution_witness_update(
        prosecution_id=prosecution.pk,
        actor=worker,
        witness="willing",
        interpreter=bool(language),
        interpreter_language=language,
        protection=True,
        video_testimony=True,
        advance_testimony=False,
        impact_statement="ผู้เสียหายมีความหวาดกลัวและนอนไม่หลับ ต้องการกลับบ้านโดยเร็ว",
        impact_statement_on=_days_ago(30),
    )


def _hearing(prosecution, worker, days: int, kind="witness"):
    moment = timezone.now() + dt.timedelta(days=days)
    return services.hearing_schedule(
        prosecution_id=prosecution.pk,
        actor=worker,
        kind=kind,
        scheduled_at=moment.replace(hour=2, minute=30, second=0, microsecond=0),  # 09:30 Bangkok
        place="ห้องพิจารณาคดี 4",
    )


def _claim(case, worker, amount: str, source="offender", prosecution=None):
    return services.claim_file(
        case=case,
        actor=worker,
        source=source,
        prosecution=prosecution,
        amount_claimed=Decimal(amount),
        claimed_on=_days_ago(55),
    )


def _before_court_resident(case, worker):
    prosecution = _charge(_police_case(case, worker, 0), worker, 0)
    _witness(prosecution, worker, "พม่า" if case.person.nationality == "MM" else "")
    _hearing(prosecution, worker, days=2)  # the office and the shelter are reminded now
    later = _hearing(prosecution, worker, days=30)
    services.hearing_postpone(
        hearing_id=later.pk,
        actor=worker,
        scheduled_at=later.scheduled_at + dt.timedelta(days=14),
        note="ศาลเลื่อนนัดตามคำร้องของจำเลย",
    )
    _claim(case, worker, "250000", prosecution=prosecution)


def _judged(case, worker):
    prosecution = _charge(_police_case(case, worker, 1, offence="forced_labour"), worker, 1)
    _witness(prosecution, worker, "")
    cancelled = _hearing(prosecution, worker, days=5)
    services.hearing_cancel(hearing_id=cancelled.pk, actor=worker, note="จำเลยรับสารภาพ ศาลงดสืบพยาน")
    services.prosecution_conclude(
        prosecution_id=prosecution.pk,
        actor=worker,
        verdict="convicted",
        judgment_on=_days_ago(20),
        sentence="จำคุก 8 ปี และให้ชดใช้ค่าสินไหมทดแทนแก่ผู้เสียหาย",
    )
    paid = _claim(case, worker, "300000", prosecution=prosecution)
    services.claim_award(
        claim_id=paid.pk, actor=worker, amount_awarded=Decimal("180000"), decided_on=_days_ago(20)
    )
    services.claim_receive(
        claim_id=paid.pk, actor=worker, amount_received=Decimal("60000"), received_on=_days_ago(5)
    )
    fund = _claim(case, worker, "30000", source="fund")
    services.claim_award(
        claim_id=fund.pk, actor=worker, amount_awarded=Decimal("30000"), decided_on=_days_ago(40)
    )
    services.claim_receive(
        claim_id=fund.pk, actor=worker, amount_received=Decimal("30000"), received_on=_days_ago(35)
    )


def _before_court(case, worker):
    prosecution = _charge(_police_case(case, worker, 2), worker, 2)
    _hearing(prosecution, worker, days=21, kind="advance_testimony")
    awarded = _claim(case, worker, "120000", source="fund")
    services.claim_award(
        claim_id=awarded.pk, actor=worker, amount_awarded=Decimal("50000"), decided_on=_days_ago(10)
    )


def _investigation(case, worker):
    _police_case(case, worker, 3)
    _claim(case, worker, "40000", source="fund")


def _dropped(case, worker):
    prosecution = _police_case(case, worker, 4)
    services.prosecution_drop(
        prosecution_id=prosecution.pk, actor=worker, reason="ไม่พบตัวผู้กระทำผิด อัยการสั่งไม่ฟ้อง"
    )
    rejected = _claim(case, worker, "20000", source="fund")
    services.claim_reject(
        claim_id=rejected.pk, actor=worker, decided_on=_days_ago(15), reason="ยื่นเกินกำหนดเวลา"
    )


def _fund_only(case, worker):
    prosecution = _charge(_police_case(case, worker, 5), worker, 5)
    unpaid = _claim(case, worker, "90000", prosecution=prosecution)
    services.claim_award(
        claim_id=unpaid.pk, actor=worker, amount_awarded=Decimal("90000"), decided_on=_days_ago(30)
    )
    services.claim_mark_unpaid(claim_id=unpaid.pk, actor=worker, reason="บังคับคดีแล้ว จำเลยไม่มีทรัพย์สิน")
    withdrawn = _claim(case, worker, "15000", source="fund")
    services.claim_withdraw(claim_id=withdrawn.pk, actor=worker, reason="ผู้เสียหายขอถอนคำร้อง")
