"""Print the notification matrix as Markdown (docs/NOTIFICATIONS.md)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from notifications.matrix import as_markdown


class Command(BaseCommand):
    help = "Print who is told of what (notifications/matrix.py) as Markdown."

    def handle(self, *args, **options):
        with translation.override("en"):
            self.stdout.write(as_markdown(), ending="")
