"""Erase what is past its retention time, or with --dry-run list what would be erased and
what a legal hold keeps (the beat runs it daily: privacy.tasks.run_retention)."""

from django.core.management.base import BaseCommand

from privacy.services import retention_run
from privacy.services.retention import HOLDS


class Command(BaseCommand):
    help = "Erase the records past their retention time (--dry-run: only list them)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        run = retention_run(dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        for number, kind in run.plan["erase"]:
            self.stdout.write(f"{verb}: {number} {kind}")
        for number, kind, reason in run.plan["held"]:
            self.stdout.write(f"held: {number} {kind} ({HOLDS[reason]})")
        self.stdout.write(f"{len(run.plan['erase'])} {verb}, {len(run.plan['held'])} held")
