from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from devdata.demo_cases import seed_demo_cases
from devdata.demo_justice import seed_demo_justice
from devdata.demo_lessons import seed_demo_lessons
from devdata.demo_outcomes import seed_demo_outcomes
from devdata.demo_partners import seed_demo_partners_on_a_case
from devdata.demo_referrals import seed_demo_referrals
from devdata.demo_repatriation import seed_demo_repatriations
from devdata.demo_users import seed_demo_users
from insights.spans import count_stage_spans


class Command(BaseCommand):
    help = "Create the demo accounts and data (DESIGN.md §9). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though DEBUG is off (never in production)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has users (used by the run command)",
        )

    def handle(self, *args, force, if_empty, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo accounts with a known password "
                "must never reach a real system. Use --force if this really is a test system."
            )
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("The database already has users: demo data not loaded.")
            return
        password = settings.NRM_DEMO_PASSWORD
        rows = seed_demo_users(password=password)
        created = sum(1 for _user, was_created in rows if was_created)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts: {created} created."))
        self.stdout.write(f"Demo cases: {seed_demo_cases()} created.")
        self.stdout.write(f"Demo referrals: {seed_demo_referrals()} created.")
        self.stdout.write(f"Demo repatriations: {seed_demo_repatriations()} created.")
        self.stdout.write(f"Demo outcomes: {seed_demo_outcomes()} created.")
        self.stdout.write(f"Demo court cases: {seed_demo_justice()} created.")
        self.stdout.write(f"Demo shares with partner agencies: {seed_demo_partners_on_a_case()}.")
        self.stdout.write(f"Demo lessons-learned items: {seed_demo_lessons()} raised.")
        self.stdout.write(f"Stage figures: {count_stage_spans()} rows counted.")
        self.stdout.write(f"Demo logins (password: {password}):")
        for user, _created in rows:
            membership = user.membership
            self.stdout.write(
                f"  {user.username:<20} {membership.get_role_display():<24} "
                f"{membership.organisation.name_en}"
            )
