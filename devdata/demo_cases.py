"""Demo persons and cases (DESIGN.md §9): Thai, Myanmar, Lao and Cambodian persons in Chiang
Mai, Bangkok and Tak, in every state of the case and screening workflows. Made through the
services, so the demo data obeys the same rules as real data."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.models import Case

# name_th, name_latin, name_native, sex, nationality, language, age, exploitation
PERSONS = [
    ("สมหญิง แสงทอง", "Somying Saengthong", "", "female", "TH", "th", 16, "sexual"),
    ("บุญมี ศรีสวัสดิ์", "Boonmee Srisawat", "", "male", "TH", "th", 34, "labour_fishing"),
    ("อรทัย พรหมมา", "Orathai Phromma", "", "female", "TH", "th", 22, "scam_compound"),
    ("สมชาย ใจกล้า", "Somchai Jaikla", "", "male", "TH", "th", 41, "labour_agriculture"),
    ("มาลัย คำดี", "Malai Khamdee", "", "female", "TH", "th", 27, "labour_domestic"),
    ("วีระ ทองดี", "Weera Thongdee", "", "male", "TH", "th", 29, "scam_compound"),
    ("อ่อง ซาน", "Aung San", "အောင်ဆန်း", "male", "MM", "my", 31, "labour_fishing"),
    ("ขิ่น มา", "Khin Ma", "ခင်မ", "female", "MM", "my", 19, "sexual"),
    ("มิน ทุน", "Min Tun", "မင်းထွန်း", "male", "MM", "my", 15, "begging"),
    ("นัน ดา", "Nan Da", "နန်းဒါ", "female", "MM", "shn", 24, "labour_manufacturing"),
    ("จอ โซ", "Kyaw Soe", "ကျော်စိုး", "male", "MM", "my", 38, "labour_construction"),
    ("ซู ซู", "Su Su", "စုစု", "female", "MM", "my", 17, "labour_domestic"),
    ("ทิน หม่อง", "Tin Maung", "တင်မောင်", "male", "MM", "my", 26, "scam_compound"),
    ("คำหล้า สีสุก", "Khamla Sisouk", "ຄໍາຫຼ້າ ສີສຸກ", "female", "LA", "lo", 18, "sexual"),
    (
        "บุนมี พมมะจัน",
        "Bounmy Phommachanh",
        "ບຸນມີ ພົມມະຈັນ",
        "male",
        "LA",
        "lo",
        33,
        "labour_agriculture",
    ),
    ("วันดี แก้ว", "Vandy Keo", "ວັນດີ ແກ້ວ", "female", "LA", "lo", 14, "begging"),
    ("สุพอน แก้ว", "Souphone Keo", "ສຸພອນ ແກ້ວ", "female", "LA", "lo", 21, "labour_domestic"),
    ("สก ดารา", "Sok Dara", "សុខ ដារ៉ា", "male", "KH", "km", 28, "labour_fishing"),
    ("เจีย สุภาพ", "Chea Sophea", "ជា សុភា", "female", "KH", "km", 20, "sexual"),
    ("เวียสนา", "Veasna Chan", "វាសនា ចាន់", "male", "KH", "km", 16, "begging"),
    ("สเรย์ มม", "Srey Mom", "ស្រី មុំ", "female", "KH", "km", 23, "labour_manufacturing"),
    ("เหงียน วัน นัม", "Nguyen Van Nam", "Nguyễn Văn Nam", "male", "VN", "vi", 30, "scam_compound"),
    ("ลี เหว่ย", "Li Wei", "李伟", "male", "CN", "zh", 27, "scam_compound"),
    ("ปรีชา มั่นคง", "Preecha Mankong", "", "male", "TH", "th", 45, "labour_fishing"),
]

# (worker, channel, scenario); scenarios cover every state of the workflows.
SCENARIOS = [
    "no_screening",
    "screening_running",
    "screening_overdue",
    "screening_extended",
    "victim_trafficking",
    "victim_forced_labour",
    "reasonable_grounds",
    "not_victim_pending",
    "not_victim_confirmed",
    "closed",
]
WORKERS = ["sw.chiangmai", "sw.bangkok", "sw.tak"]
CHANNELS = ["hotline_1300", "police_raid", "labour_inspection", "ngo", "walk_in"]


@transaction.atomic
def seed_demo_cases(*, seed: int = 2569) -> int:
    """Create the demo persons and cases unless cases already exist; returns how many."""
    if Case.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    workers = {u.username: u for u in User.objects.filter(username__in=WORKERS)}
    reviewer = User.objects.get(username="central.reviewer")
    now = timezone.now()
    created = 0
    for index, row in enumerate(PERSONS + PERSONS[:12]):
        name_th, name_latin, name_native, sex, nationality, language, age, kind = row
        if index >= len(PERSONS):
            # A second case for a person who came back: the same record, a new case.
            person = Case.objects.filter(person__name_latin=name_latin).first().person
        else:
            person = None
        worker = workers[WORKERS[index % len(WORKERS)]]
        if person is None:
            person = services.person_create(
                actor=worker,
                name_th=name_th,
                name_latin=name_latin,
                name_native=name_native,
                sex=sex,
                estimated_age=age,
                age_disputed=age < 18 and nationality != "TH",
                nationality=nationality,
                languages=[language],
            )
        case = services.case_open(
            actor=worker,
            person=person,
            intake_channel=CHANNELS[index % len(CHANNELS)],
            intake_date=(now - dt.timedelta(days=rng.randint(1, 60))).date(),
            intake_province=worker.membership.organisation.province,
            exploitation_types=[kind],
            risk_level=rng.choice(["low", "medium", "high", "critical"]),
        )
        _play(SCENARIOS[index % len(SCENARIOS)], case, worker, reviewer, now, rng)
        created += 1
    return created


def _play(scenario, case, worker, reviewer, now, rng):
    if scenario == "no_screening":
        return
    hours_ago = {"screening_running": rng.randint(1, 12), "screening_overdue": 30}.get(
        scenario, rng.randint(2, 20)
    )
    screening = services.screening_start(
        case_id=case.pk,
        actor=worker,
        custody_started_at=now - dt.timedelta(hours=hours_ago),
        members=[
            services.MemberInput(name="ร.ต.อ. ประยุทธ์ มีชัย", agency="police"),
            services.MemberInput(name=worker.get_full_name(), agency="msdhs"),
        ],
        interpreter_name="Ko Zaw" if case.person.nationality == "MM" else "",
        interpreter_language="my" if case.person.nationality == "MM" else "",
    )
    if scenario in ("screening_running", "screening_overdue"):
        return
    if scenario == "screening_extended":
        services.screening_extend(
            screening_id=screening.pk,
            actor=worker,
            until=screening.deadline_at + dt.timedelta(days=3),
            order_reference=f"คำสั่งศาล ที่ {rng.randint(100, 999)}/2569",
        )
        return
    services.consent_record(
        case=case, actor=worker, step="screening", decision="given", rights_notified=True
    )
    services.interview_record(
        screening_id=screening.pk,
        actor=worker,
        held_at=now - dt.timedelta(hours=1),
        interviewer=worker.get_full_name(),
        interpreter="Ko Zaw" if case.person.nationality == "MM" else "",
        language="my" if case.person.nationality == "MM" else "",
        topics=["recruitment", "work", "exploitation", "debt"],
        summary="สัมภาษณ์โดยทีมสหวิชาชีพ บันทึกไว้เพื่อไม่ต้องสัมภาษณ์ซ้ำ",
    )
    services.screening_update(
        screening_id=screening.pk,
        actor=worker,
        indicator_codes=["deception", "retention_of_documents", "debt_bondage"],
    )
    outcome = {
        "victim_trafficking": "victim_trafficking",
        "victim_forced_labour": "victim_forced_labour",
        "reasonable_grounds": "reasonable_grounds",
        "closed": "victim_trafficking",
    }.get(scenario, "not_victim")
    services.screening_decide(
        screening_id=screening.pk,
        actor=worker,
        outcome=outcome,
        reason="ทีมสหวิชาชีพพิจารณาจากข้อเท็จจริงและตัวชี้วัด",
    )
    if scenario == "not_victim_confirmed":
        services.screening_second_review(
            screening_id=screening.pk, actor=reviewer, confirm=True, note="เห็นด้วยกับผลการคัดแยก"
        )
    if scenario == "closed":
        services.case_close(case_id=case.pk, actor=worker, reason="คืนสู่ครอบครัวและติดตามผลแล้ว")
