"""Thin Celery tasks for the dashboards."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import override

from accounts.models import Role, User

from .statistics import Filters, dashboard_figures


@shared_task
def count_national_dashboard() -> int:
    """Beat runs this every minute: the national dashboard's default view (the last twelve
    months, all provinces) is counted again in each language, so that the central division
    never waits for it. Returns the number of views counted (0 with no central reviewer)."""
    candidates = User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__role=Role.CENTRAL_REVIEWER
    ).distinct()
    # The one whose membership in force (User.membership) is the central reviewer's: the
    # figures are kept under the national key only for them.
    reviewer = next(
        (
            user
            for user in candidates
            if getattr(user.membership, "role", None) == Role.CENTRAL_REVIEWER
        ),
        None,
    )
    if reviewer is None:
        return 0
    for language, _name in settings.LANGUAGES:
        with override(language):
            dashboard_figures(user=reviewer, filters=Filters.last_twelve_months(), fresh=True)
    return len(settings.LANGUAGES)
