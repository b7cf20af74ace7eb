"""The personal data protection clocks (privacy): a breach reported to the regulator within 72
real hours of becoming aware of it (PDPA s.37(4)), a data subject's request answered within 30
calendar days of its receipt (s.30). Neither counts working days: the law's limits do not."""

from django.db import migrations, models

# clock, due after, unit, remind before, unit, first escalation, second escalation
DEFAULTS = [
    ("breach_report", 72, "hours", 24, "hours", "central_head", ""),
    ("subject_request", 30, "days", 7, "days", "central_head", ""),
]


def load(apps, schema_editor):
    ClockPolicy = apps.get_model("sla", "ClockPolicy")
    for clock, due, due_unit, remind, remind_unit, first, second in DEFAULTS:
        ClockPolicy.objects.get_or_create(
            clock=clock,
            defaults={
                "due_after": due,
                "due_unit": due_unit,
                "remind_before": remind,
                "remind_unit": remind_unit,
                "escalate_first": first,
                "escalate_second": second,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0009_plan_task_clock"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clockpolicy",
            name="clock",
            field=models.CharField(
                choices=[
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
                    ("breach_report", "Report of a personal data breach (PDPA s.37(4))"),
                    ("subject_request", "Answer to a data subject's request (PDPA s.30)"),
                ],
                max_length=30,
                unique=True,
                verbose_name="clock",
            ),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="clock",
            field=models.CharField(
                choices=[
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
                    ("breach_report", "Report of a personal data breach (PDPA s.37(4))"),
                    ("subject_request", "Answer to a data subject's request (PDPA s.30)"),
                ],
                max_length=30,
                verbose_name="clock",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
