"""Demo outcomes (issue 18): persons after their shelter stay and at their case's closure, in
every state a follow-up takes: an outcome at closure, the 3-, 6- and 12-month follow-ups, one
that could not be done (with its reason), contact lost, a sign of re-victimisation. Made
through the services; the stays are then moved back in time so that each follow-up falls on
its month."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases import services as cases
from outcomes import services
from outcomes.models import Outcome
from shelters.models import Placement
from sla.models import Clock
from sla.services import deadline_move

from .demo_cases import _play
from .demo_referrals import _apply

WELL = {
    "contact": "reached",
    "safe_housing": "yes",
    "income": "yes",
    "documents": "yes",
    "compensation": "partly",
    "education": "unknown",
    "health": "good",
    "own_view": "better",
}
STRUGGLING = WELL | {"income": "no", "health": "fair", "own_view": "same", "compensation": "no"}

# (name_th, name_latin, name_native, sex, nationality, language, age, exploitation, worker,
# the follow-ups in order (None: the case closes with no stay), and the outcome at closure)
STORIES = [
    (
        "จันทร์เพ็ญ ดวงดี",
        "Chanpen Duangdee",
        "",
        "female",
        "TH",
        "th",
        24,
        "labour_domestic",
        "sw.chiangmai",
        None,
        WELL | {"own_words": "ได้งานที่ร้านตัดผม ลูกได้เรียนหนังสือ"},
    ),
    (
        "ยุพิน แก้วใส",
        "Yupin Kaewsai",
        "",
        "female",
        "TH",
        "th",
        29,
        "sexual",
        "sw.chiangmai",
        [WELL | {"own_words": "อยู่กับแม่ ปลอดภัยดี"}],
        None,
    ),
    (
        "ซอ ซอ",
        "Saw Saw",
        "စောစော",
        "male",
        "MM",
        "my",
        33,
        "labour_fishing",
        "sw.tak",
        [
            STRUGGLING,
            {
                "contact": "not_possible",
                "not_possible_reason": "abroad",
                "note": "กลับเมียวดีแล้ว โทรศัพท์ติดต่อไม่ได้ชั่วคราว",
            },
        ],
        None,
    ),
    (
        "ทองใบ ศรีเมือง",
        "Thongbai Srimuang",
        "",
        "female",
        "LA",
        "lo",
        21,
        "labour_domestic",
        "sw.bangkok",
        [{"contact": "contact_lost", "note": "ย้ายที่อยู่ ไม่มีผู้ใดทราบที่อยู่ใหม่"}],
        None,
    ),
    (
        "สมปอง บุญมา",
        "Sompong Boonma",
        "",
        "male",
        "TH",
        "th",
        37,
        "labour_agriculture",
        "sw.chiangmai",
        [STRUGGLING, WELL, WELL | {"own_words": "มีงานประจำ เก็บเงินได้แล้ว"}],
        WELL | {"own_words": "พร้อมใช้ชีวิตเองแล้ว"},
    ),
    (
        "ดารา พันธ์ดี",
        "Dara Phandee",
        "",
        "female",
        "KH",
        "km",
        19,
        "sexual",
        "sw.bangkok",
        [
            STRUGGLING | {"revictimised": True, "note": "นายหน้าคนเดิมติดต่อชวนไปทำงานที่ชายแดนอีก"},
        ],
        None,
    ),
]
SHELTERS = {
    "female": ("shelter-kredtrakarn", "dir.kredtrakarn"),
    "male": ("shelter-pathumthani", "dir.pathumthani"),
}


@transaction.atomic
def seed_demo_outcomes() -> int:
    """Create the demo's outcome stories unless outcomes exist; returns how many outcomes."""
    if Outcome.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    reviewer = users["central.reviewer"]
    now = timezone.now()
    for story in STORIES:
        *person, worker_name, follow_ups, at_closure = story
        worker = users[worker_name]
        case = _identified_victim(person, worker, reviewer, now)
        if follow_ups is not None:
            placement = _stay_and_leave(case, users, worker, reviewer, person[3])
            # Left long enough ago for each follow-up to have come.
            months = (3, 6, 12)[len(follow_ups) - 1]
            left = now - relativedelta(months=months, days=10)
            for answers in follow_ups:
                services.follow_up_outcome_record(case_id=case.pk, actor=worker, **answers)
            _move_back(placement, left=left)
        if at_closure is not None:
            services.closure_outcome_record(
                case_id=case.pk, actor=worker, reason="ติดตามผลครบและผู้เสียหายพึ่งตนเองได้", **at_closure
            )
    return Outcome.objects.count()


def _identified_victim(person, worker, reviewer, now):
    name_th, name_latin, name_native, sex, nationality, language, age, kind = person
    record = cases.person_create(
        actor=worker,
        name_th=name_th,
        name_latin=name_latin,
        name_native=name_native,
        sex=sex,
        estimated_age=age,
        nationality=nationality,
        languages=[language],
    )
    case = cases.case_open(
        actor=worker,
        person=record,
        intake_channel="ngo",
        intake_date=(now - dt.timedelta(days=420)).date(),
        intake_province=worker.membership.organisation.province,
        exploitation_types=[kind],
    )
    _play("victim_trafficking", case, worker, reviewer, now, _Fixed())
    return case


class _Fixed:
    """What demo_cases' scenario asks of its random generator, without chance."""

    def randint(self, low, _high):
        return low

    def choice(self, options):
        return options[0]


def _stay_and_leave(case, users, worker, reviewer, sex) -> Placement:
    from referrals import services as referrals

    shelter_code, director_name = SHELTERS["female" if sex == "female" else "male"]
    director = users[director_name]
    referral = referrals.referral_create(
        actor=worker,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code=shelter_code),
        kind="shelter_placement",
        reason="ต้องการที่พักที่ปลอดภัยและการฟื้นฟู",
        consent="given",
        consent_now=True,
        services_requested=["shelter", "psychosocial"],
    )
    for move in ("submit", "acknowledge", "accept", "endorse", "admit", "discharge"):
        _apply(move, referral.pk, worker=worker, director=director, reviewer=reviewer, sex=sex)
    return Placement.objects.get(referral=referral)


def _move_back(placement: Placement, *, left: dt.datetime) -> None:
    """The stay ended at `left` (it began four months before), each follow-up on its month,
    and the follow-up still due on its own month after `left`."""
    Placement.objects.filter(pk=placement.pk).update(
        admitted_at=left - relativedelta(months=4), discharged_at=left
    )
    months = {"months_3": 3, "months_6": 6, "months_12": 12}
    for outcome in placement.outcomes.all():
        Outcome.objects.filter(pk=outcome.pk).update(
            recorded_at=left + relativedelta(months=months[outcome.moment], days=-2)
        )
    done = placement.outcomes.count()
    if done < 3:
        deadline_move(
            clock=Clock.FOLLOW_UP,
            obj=placement,
            due_at=left + relativedelta(months=(3, 6, 12)[done]),
        )
