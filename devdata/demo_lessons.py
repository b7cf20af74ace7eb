"""Demo of the lessons-learned register (issue 20): the Tak office's issue with interpreters on
the day of a mass screening, which Chiang Mai faces too, answered by the central division with
two actions (one done); and a shelter's issue still waiting for the centre."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case
from lessons.models import Lesson
from lessons.services import lesson_action_done, lesson_answer, lesson_endorse, lesson_raise


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def seed_demo_lessons() -> int:
    """Two items on the register unless it has some already; returns how many were raised."""
    if Lesson.objects.exists():
        return 0
    tak_case = Case.objects.filter(owner__code="pso-63").order_by("pk").first()
    interpreters = lesson_raise(
        actor=_user("sw.tak"),
        title="ไม่มีล่ามภาษาพม่าและกะเหรี่ยงในวันคัดแยกหมู่",
        topic="interpreters",
        what_happened=(
            "วันที่มีผู้ได้รับการช่วยเหลือจากแหล่งหลอกลวงออนไลน์จำนวนมาก ล่ามในพื้นที่มีไม่พอ "
            "การสัมภาษณ์คัดแยกต้องรอล่ามจากจังหวัดอื่น เกือบเกินกำหนด 24 ชั่วโมงตามมาตรา 29"
        ),
        days_lost=2,
        proposal="จัดทำบัญชีล่ามกลางระดับภาคที่เรียกใช้ได้ทันที พร้อมงบประมาณค่าตอบแทนรายวัน",
        case_numbers=[tak_case.number] if tak_case else [],
    )
    lesson_endorse(
        actor=_user("sw.chiangmai"),
        lesson_id=interpreters.pk,
        comment="เชียงใหม่ขาดล่ามภาษาไทใหญ่และลาหู่เช่นกัน",
    )
    today = timezone.localdate()
    lesson_answer(
        actor=_user("central.reviewer"),
        lesson_id=interpreters.pk,
        decision=(
            "เห็นชอบให้จัดทำบัญชีล่ามกลางระดับภาค และเสนอคณะอนุกรรมการฯ "
            "พิจารณางบประมาณค่าตอบแทนล่ามในการประชุมครั้งถัดไป"
        ),
        actions=[
            {
                "organisation": Organisation.objects.get(code="pso-63"),
                "title": "ส่งรายชื่อล่ามในพื้นที่พร้อมภาษาที่ใช้ได้",
                "due_on": today + dt.timedelta(days=5),
            },
            {
                "organisation": Organisation.objects.get(kind=Organisation.Kind.CENTRAL),
                "title": "ออกหนังสือเวียนเรื่องบัญชีล่ามกลางถึงทุกจังหวัด",
                "due_on": today + dt.timedelta(days=30),
            },
        ],
    )
    first = interpreters.actions.order_by("pk").first()
    lesson_action_done(actor=_user("sw.tak"), action_id=first.pk, note="ส่งรายชื่อล่าม 9 คน 4 ภาษาแล้ว")
    beds = lesson_raise(
        actor=_user("dir.kredtrakarn"),
        title="เตียงส่วนเด็กเต็ม การส่งต่อเด็กต้องรอนาน",
        topic="shelter",
        what_happened="ส่วนเด็กเต็มเกือบตลอดไตรมาส การส่งต่อเด็กหญิงต้องรอเฉลี่ยหนึ่งสัปดาห์",
        days_lost=7,
        proposal="ให้ส่วนกลางจัดสรรเตียงส่วนเด็กระหว่างสถานคุ้มครองตามความจำเป็นรายสัปดาห์",
    )
    lesson_endorse(actor=_user("dir.pathumthani"), lesson_id=beds.pk)
    return 2
