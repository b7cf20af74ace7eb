"""Reads about people and organisations."""

from django.db.models import Count, QuerySet

from .models import Membership, Organisation, Province, Role, User


def organisation_counts() -> list[tuple[str, int]]:
    """(kind's label, number of active organisations) for every kind, in one query."""
    counts = dict(
        Organisation.objects.filter(is_active=True)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(kind.label, counts.get(kind.value, 0)) for kind in Organisation.Kind]


def colleague_list(*, organisation: Organisation) -> QuerySet[Membership]:
    """The active members of one organisation, for its own staff to see who works there."""
    return (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__first_name", "user__username")
    )


def member_users(*, organisation: Organisation, roles) -> QuerySet:
    """The active users holding one of `roles` in `organisation` (to notify or escalate to)."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role__in=roles,
        memberships__is_active=True,
    ).distinct()


def central_reviewers() -> QuerySet:
    """The central division's reviewers: told of what needs the centre's eyes."""
    central = Organisation.objects.get(kind=Organisation.Kind.CENTRAL)
    return member_users(organisation=central, roles=[Role.CENTRAL_REVIEWER])


def covered_provinces(*, user) -> QuerySet[Province]:
    """The provinces whose figures a regional officer sees: those its office covers, by
    name. None for anyone else."""
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role != Role.REGIONAL_OFFICER:
        return Province.objects.none()
    return Province.objects.filter(regional_offices=membership.organisation_id).order_by("name_th")
