"""The clock of an action the central division gives on the lessons-learned register
(lessons): due at the end of the action's day, the owning organisation reminded seven days
before; escalated to the head of the central division, which answers to the sub-committee."""

from django.db import migrations, models


CHOICES = [
    ("identification", "Identification (Act s.29)"),
    ("mdt_interview", "Potential-victim MDT interview"),
    ("referral_ack_urgent", "Referral acknowledgement, urgent"),
    ("referral_ack_normal", "Referral acknowledgement, normal"),
    ("referral_decision_urgent", "Referral decision, urgent"),
    ("referral_decision_normal", "Referral decision, normal"),
    ("central_review", "Central review of a referral"),
    ("second_review", "Second review of a not-a-victim decision"),
    ("care_plan", "Care plan after admission"),
    ("permit_expiry", "Stay and work permit expiry (s.37)"),
    ("follow_up", "Follow-up after reintegration"),
    ("repatriation_answer", "Counterpart's family assessment"),
    ("repatriation_handover", "Repatriation hand-over"),
    ("repatriation_confirmation", "Counterpart's confirmation of a hand-over"),
    ("hearing", "Court hearing"),
    ("hearing_shelter", "Court hearing of a resident"),
    ("plan_task", "Task on a case's plan across agencies"),
    ("breach_report", "Report of a personal data breach (PDPA s.37(4))"),
    ("subject_request", "Answer to a data subject's request (PDPA s.30)"),
    ("lesson_action", "Action on a lesson learned"),
]


def load(apps, schema_editor):
    apps.get_model("sla", "ClockPolicy").objects.get_or_create(
        clock="lesson_action",
        defaults={
            "due_after": 0,
            "due_unit": "days",
            "remind_before": 7,
            "remind_unit": "days",
            "escalate_first": "central_head",
            "escalate_second": "",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0011_clock_choices_all_privacy_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clockpolicy",
            name="clock",
            field=models.CharField(
                choices=CHOICES, max_length=30, unique=True, verbose_name="clock"
            ),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="clock",
            field=models.CharField(choices=CHOICES, max_length=30, verbose_name="clock"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
