"""Reads of referrals, always through what the user may see."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role
from audit.reads import read_for_display
from cases.selectors import referral_consent_refused
from sla.models import Deadline

from .models import TARGET_KINDS, Referral
from .workflow import AWAITING_REVIEW, State

# A receiver sees a referral from its submission until it declines it or the sender withdraws
# it (DESIGN.md §6): a person who did not come is no business of the shelter's.
RECEIVER_VISIBLE_STATES = [State.SUBMITTED, State.ACKNOWLEDGED, State.ACCEPTED, State.COMPLETED]


def cases_referred_to(organisation_id: int) -> Q:
    """A Q over Case: the cases referred to the organisation, while it may see the referral
    (registered with cases.extensions: the receiver sees the referred case)."""
    return Q(
        Exists(
            Referral.objects.filter(
                case_id=OuterRef("pk"),
                to_organisation_id=organisation_id,
                state__in=RECEIVER_VISIBLE_STATES,
            )
        )
    )


def referral_list_visible_to(*, user) -> QuerySet[Referral]:
    """Referrals the user's organisation sent or received, all of them for the central
    division, none for a sysadmin."""
    referrals = Referral.objects.select_related(
        "case__person", "from_organisation__province", "to_organisation__province"
    )
    membership = user.membership if user.is_authenticated else None
    if membership is None or membership.role == Role.SYSADMIN:
        return referrals.none()
    if membership.role == Role.CENTRAL_REVIEWER:
        return referrals.exclude(state=State.DRAFT)
    organisation = membership.organisation_id
    sent = Q(from_organisation_id=organisation)
    received = Q(to_organisation_id=organisation, state__in=RECEIVER_VISIBLE_STATES)
    if membership.role == Role.SHELTER_STAFF:
        return referrals.none()  # staff work with residents, not with referrals
    return referrals.filter(sent | received)


def referral_get_visible(*, user, referral_id) -> Referral:
    try:
        return referral_list_visible_to(user=user).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def referral_get_for_display(*, user, referral_id: int) -> Referral:
    """The referral for its page or letter: visible (404 otherwise), the reading logged."""
    return read_for_display(referral_get_visible, user=user, referral_id=referral_id)


def inbox(*, user) -> QuerySet[Referral]:
    """Referrals waiting for the user's organisation: urgent first, then newest."""
    membership = user.membership
    return (
        referral_list_visible_to(user=user)
        .filter(
            to_organisation_id=membership.organisation_id,
            state__in=[State.SUBMITTED, State.ACKNOWLEDGED, State.ACCEPTED],
        )
        .order_by("-urgency", "-submitted_at")
    )


def sent_list(*, user) -> QuerySet[Referral]:
    return referral_list_visible_to(user=user).filter(
        from_organisation_id=user.membership.organisation_id
    )


# The review queue's `state` that shows every referral, whatever its review.
QUEUE_ALL = "all"


def review_queue(
    *, user, state: str = "", urgency: str = "", province: str = "", overdue: bool = False
) -> QuerySet[Referral]:
    """The central queue, urgent first, then newest. Without `state`, what waits for a central
    reviewer: a review pending or escalated (AWAITING_REVIEW) of a referral its sender has
    not withdrawn, a decline waiting for its redirect among them; `state` "all" shows every
    referral, a referral's state or a review state only those."""
    referrals = referral_list_visible_to(user=user).order_by("-urgency", "-submitted_at")
    if not state:
        referrals = referrals.filter(review_state__in=AWAITING_REVIEW).exclude(
            state=State.WITHDRAWN
        )
    elif state != QUEUE_ALL:
        referrals = referrals.filter(Q(state=state) | Q(review_state=state))
    if urgency:
        referrals = referrals.filter(urgency=urgency)
    if province:
        referrals = referrals.filter(from_organisation__province__code=province)
    if overdue:
        late = Deadline.objects.filter(
            object_type__app_label="referrals",
            object_type__model="referral",
            closed_at__isnull=True,
            due_at__lt=timezone.now(),
        ).values("object_id")
        referrals = referrals.filter(pk__in=late)
    return referrals


# What a table of referrals shows of each (referral_rows): the page reads these columns only.
REFERRAL_ROW_FIELDS = (
    "kind",
    "urgency",
    "state",
    "review_state",
    "case__number",
    "case__person__name_th",
    "case__person__name_latin",
    "case__person__name_native",
    "from_organisation__name_th",
    "from_organisation__name_en",
    "to_organisation__name_th",
    "to_organisation__name_en",
)


def table_columns(referrals: QuerySet[Referral], *also: str) -> QuerySet[Referral]:
    """`referrals` with only the columns a table of referrals shows (REFERRAL_ROW_FIELDS), and
    `also` those a page shows beside it, and the rows they come from: a page of joined objects
    with all their columns was most of a referral page's time (docs/PERFORMANCE.md)."""
    return (
        referrals.select_related(None)
        .select_related("case__person", "from_organisation", "to_organisation")
        .only(*REFERRAL_ROW_FIELDS, *also)
    )


def with_running_deadlines(referrals) -> list[Referral]:
    """A page of referrals, each with `running_deadlines` (its open clocks, soonest first),
    in one query."""
    referrals = list(referrals)
    clocks: dict[int, list[Deadline]] = {}
    for deadline in Deadline.objects.filter(
        # The content type from Django's cache: no join to its table.
        object_type=ContentType.objects.get_for_model(Referral),
        object_id__in=[r.pk for r in referrals],
        closed_at__isnull=True,
    ).order_by("due_at"):
        clocks.setdefault(deadline.object_id, []).append(deadline)
    for referral in referrals:
        referral.running_deadlines = clocks.get(referral.pk, [])
    return referrals


def consent_withdrawn(referral: Referral):
    """The refusal the person recorded after this referral was made, if that is their latest
    will on being referred: the referral's pages and letter show it."""
    refusal = referral_consent_refused(referral.case)
    return refusal if refusal is not None and refusal.recorded_at > referral.created_at else None


# The groups of the redirect form's list, in this order: shelters first, as most declines are
# a shelter's and the reviewer looks for a free bed.
RECEIVER_GROUPS = [
    (Organisation.Kind.SHELTER, _("Government shelters")),
    (Organisation.Kind.PROVINCIAL_OFFICE, _("Provincial offices")),
    (Organisation.Kind.PARTNER, _("Partner agencies")),
]


@dataclass
class ReceiverGroup:
    kind: str
    label: str
    organisations: list[Organisation]


def redirect_targets(referral: Referral) -> list[ReceiverGroup]:
    """Where a declined referral may go instead, by kind of organisation (RECEIVER_GROUPS):
    the active organisations that receive its kind of referral, but neither the one that
    declined nor the sender; groups with none left out. One query."""
    kinds = TARGET_KINDS.get(referral.kind, set())
    organisations = (
        Organisation.objects.filter(is_active=True, kind__in=kinds)
        .exclude(pk__in=[referral.to_organisation_id, referral.from_organisation_id])
        .select_related("province")
        .order_by("name_th")
    )
    by_kind: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        by_kind.setdefault(organisation.kind, []).append(organisation)
    return [
        ReceiverGroup(kind, label, by_kind[kind])
        for kind, label in RECEIVER_GROUPS
        if kind in by_kind
    ]
