"""The court-hearing clocks (justice): the case's office and the shelter where the person lives
are reminded before a hearing; the clock runs to the end of the hearing's day, when the office
records it held, moved or cancelled."""

from django.db import migrations, models

# clock, due after, unit, remind before, unit, first escalation, second escalation
DEFAULTS = [
    ("hearing", 0, "days", 7, "days", "supervisor", ""),
    ("hearing_shelter", 0, "days", 3, "days", "shelter_director", ""),
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
        ("sla", "0006_repatriation_clocks"),
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
                    ("hearing", "Court hearing"),
                    ("hearing_shelter", "Court hearing of a resident"),
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
                    ("hearing", "Court hearing"),
                    ("hearing_shelter", "Court hearing of a resident"),
                ],
                max_length=30,
                verbose_name="clock",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
