"""Reasons for declining become codes the dashboard can count (referrals.models.DeclineReason);
the receiver's own words move to `decline_note`."""

from django.db import migrations, models
from django.db.models import F


def code_earlier_declines(apps, schema_editor):
    """Every decline made before the codes is an "other" with its text kept as the note."""
    Referral = apps.get_model("referrals", "Referral")
    Referral.objects.exclude(decline_reason="").update(
        decline_note=F("decline_reason"), decline_reason="other"
    )
    Referral.objects.filter(state="declined", decline_reason="").update(decline_reason="other")


def words_for_declines(apps, schema_editor):
    """Back to one text: the note, or the code where there is none."""
    Referral = apps.get_model("referrals", "Referral")
    Referral.objects.exclude(decline_note="").update(decline_reason=F("decline_note"))


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_one_open_referral_per_receiver"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="decline_note",
            field=models.TextField(blank=True, verbose_name="note on the decline"),
        ),
        migrations.RunPython(code_earlier_declines, words_for_declines),
        migrations.AlterField(
            model_name="referral",
            name="decline_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_bed", "No free bed in a section that fits the person"),
                    ("target_group", "Outside the target group (sex, age or form of exploitation)"),
                    ("security", "A security risk to the person, the residents or the staff"),
                    ("medical_care", "Needs medical or psychiatric care first"),
                    ("person_refused", "The person refused"),
                    ("duplicate", "A duplicate, or the person is already served"),
                    ("service_not_offered", "The service asked for is not offered here"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="reason for declining",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "declined"), _negated=True),
                    models.Q(("decline_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="referral_declined_has_reason",
            ),
        ),
    ]
