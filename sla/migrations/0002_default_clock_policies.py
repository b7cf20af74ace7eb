"""The deadline defaults of DESIGN.md §5."""

from django.db import migrations

# clock, due after, unit, remind before, unit, first escalation, second escalation
DEFAULTS = [
    ("identification", 24, "hours", 6, "hours", "supervisor", "central"),
    ("mdt_interview", 15, "days", 3, "days", "supervisor", "central"),
    ("referral_ack_urgent", 4, "hours", 2, "hours", "receiver_director", "central"),
    ("referral_ack_normal", 1, "working_days", 4, "hours", "receiver_director", "central"),
    ("referral_decision_urgent", 1, "working_days", 4, "hours", "receiver_director", "central"),
    (
        "referral_decision_normal",
        3,
        "working_days",
        1,
        "working_days",
        "receiver_director",
        "central",
    ),
    ("central_review", 5, "working_days", 1, "working_days", "central_head", ""),
    ("second_review", 2, "working_days", 1, "working_days", "central_head", ""),
    ("care_plan", 7, "days", 2, "days", "shelter_director", ""),
    ("permit_expiry", 0, "days", 30, "days", "supervisor", ""),
    ("follow_up", 3, "months", 7, "days", "supervisor", ""),
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
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
