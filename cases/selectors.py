"""Reads of persons, cases and screenings, always through what the user may see."""

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, Role
from accounts.selectors import member_users
from accounts.state import request_memo
from audit.reads import read_for_display, record_display
from core.cache import GenerationCache
from sla.models import DUE_SOON

from .extensions import visibility
from .models import (
    AccessGrant,
    Case,
    CaseDocument,
    CaseEvent,
    CaseUserObjectPermission,
    Consent,
    ConsentStep,
    IdentityDocument,
    IntakeBatch,
    Interview,
    Operation,
    Person,
    Screening,
    ScreeningMember,
    SharedPart,
)
from .workflow import ACTIVE_SCREENING_STATES, OPEN_CASE_STATES, ScreeningStatus


def _granted_to(user) -> Q:
    """Cases explicitly granted to this user: the django-guardian permission, and a grant that
    is still live (the periodic revocation may run a minute after the expiry)."""
    permission = CaseUserObjectPermission.objects.filter(
        content_object_id=OuterRef("pk"), user_id=user.pk, permission__codename="view_case"
    )
    live = AccessGrant.objects.filter(
        case_id=OuterRef("pk"),
        user_id=user.pk,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    return Q(Exists(permission)) & Q(Exists(live))


def _by_role(membership) -> Q | None:
    if membership is None:
        return Q(pk__in=[])
    if membership.role == Role.CENTRAL_REVIEWER:
        return None
    if membership.role == Role.PARTNER:
        # A partner agency never reads the case itself, only the parts shared with it
        # (case_share_get below), whatever its grants say.
        return Q(pk__in=[])
    organisation = membership.organisation_id
    # Referrals and shelters add what a receiver and a shelter see (cases/extensions.py); a
    # sysadmin sees no victim data.
    extra = visibility(membership.role, organisation)
    if membership.role in (Role.SOCIAL_WORKER, Role.SUPERVISOR):
        return Q(owner_id=organisation) | extra
    return extra


# The latest end of each user's live grants (None: no grant), kept between requests: every list
# and page of a provincial user asks. A copy that is too old can only be on the safe side: an
# end that has passed reads as "no live grant", and a grant revoked since still has its
# subqueries, which read the grant itself. A new grant forgets the copy (grant_copies_forget).
LIVE_GRANT_ENDS = GenerationCache("live-grant-end", timeout=5 * 60)


def grant_copies_forget(user_id: int) -> None:
    """A grant was made to this user: their lists must include its case from the next read."""
    LIVE_GRANT_ENDS.forget(user_id)


def _has_live_grant(user) -> bool:
    """Whether any explicit grant of a case to the user is live (from the copy above, or one
    indexed lookup; once per request: a case page's sections each ask). Most users have none:
    their lists then go without the grant's two subqueries, which cost the planner more than
    this query costs."""
    latest_end = request_memo(
        user,
        "live_grant",
        lambda: LIVE_GRANT_ENDS.get_or_set(
            user.pk,
            lambda: AccessGrant.objects.filter(
                user_id=user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
            ).aggregate(Max("expires_at"))["expires_at__max"],
        ),
    )
    return latest_end is not None and latest_end > timezone.now()


def _case_visibility(user) -> Q | None:
    """The filter of the cases a user may see (DESIGN.md §6); None means all of them. Built
    once per request (a page's lists each ask; a filter given to a queryset is copied, never
    changed)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return request_memo(user, "case_visibility", lambda: _visibility_of(user))


def _visibility_of(user) -> Q | None:
    by_role = _by_role(user.membership)
    if by_role is None:
        return None
    if user.membership is not None and user.membership.role in (Role.SYSADMIN, Role.PARTNER):
        return by_role
    if not _has_live_grant(user):
        return by_role
    return by_role | _granted_to(user)


def case_list_visible_to(*, user) -> QuerySet[Case]:
    """The cases `user` may see, with what a list shows, newest first."""
    cases = Case.objects.select_related("person", "owner__province", "lead_worker")
    visibility = _case_visibility(user)
    return cases if visibility is None else cases.filter(visibility)


def case_get_visible(*, user, case_id: int) -> Case:
    """One visible case, or 404 (an invisible case is not confirmed to exist)."""
    try:
        return (
            case_list_visible_to(user=user)
            .select_related("operation", "intake_province")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_get_for_display(*, user, case_id: int) -> Case:
    """The case for its page or print view: visible (404 otherwise), its reading logged."""
    return read_for_display(case_get_visible, user=user, case_id=case_id)


def person_list_visible_to(*, user) -> QuerySet[Person]:
    """Persons with at least one case the user may see, and those their office registered
    (a person registered through the API before their case is opened)."""
    visibility = _case_visibility(user)
    if visibility is None:
        return Person.objects.all()
    visible = Q(Exists(Case.objects.filter(visibility, person_id=OuterRef("pk"))))
    membership = user.membership if user.is_authenticated else None
    if membership is not None and membership.role in (Role.SOCIAL_WORKER, Role.SUPERVISOR):
        # Registered here and still without a case (its case may since have moved away).
        visible |= Q(created_by_organisation_id=membership.organisation_id) & ~Q(
            Exists(Case.objects.filter(person_id=OuterRef("pk")))
        )
    return Person.objects.filter(visible)


def person_get_visible(*, user, person_id: int) -> Person:
    try:
        return person_list_visible_to(user=user).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_of_case_number(*, user, number: str) -> Person:
    """The person of the case numbered `number` among the cases the user may see (the other
    record of a merge); ValidationError when there is none."""
    person_id = (
        case_list_visible_to(user=user)
        .filter(number=number.strip().upper())
        .values_list("person_id", flat=True)
        .first()
    )
    if person_id is None:
        raise ValidationError({"case_number": _("No case has that number.")})
    return person_get_visible(user=user, person_id=person_id)


def person_get_for_display(*, user, person_id: int) -> Person:
    """The person for their page: visible (404 otherwise), the reading logged."""
    return read_for_display(person_get_visible, user=user, person_id=person_id)


def screening_list_visible_to(*, user) -> QuerySet[Screening]:
    visibility = _case_visibility(user)
    screenings = Screening.objects.select_related("case__person", "case__owner", "decided_by")
    if visibility is None:
        return screenings
    return screenings.filter(case__in=Case.objects.filter(visibility))


def screening_get_visible(*, user, screening_id: int) -> Screening:
    try:
        return screening_list_visible_to(user=user).get(pk=screening_id)
    except (Screening.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def screening_get_for_display(*, user, screening_id: int) -> Screening:
    """The screening for its page: visible (404 otherwise), the reading logged."""
    return read_for_display(screening_get_visible, user=user, screening_id=screening_id)


def second_review_queue(*, user) -> QuerySet[Screening]:
    """Not-a-victim decisions waiting for a central reviewer, oldest first."""
    return (
        screening_list_visible_to(user=user)
        .filter(status=ScreeningStatus.PENDING_SECOND_REVIEW)
        .order_by("decided_at")
    )


# Events that name where else the person was referred or stayed.
_ELSEWHERE = [
    CaseEvent.Kind.REFERRAL,
    CaseEvent.Kind.ADMITTED,
    CaseEvent.Kind.DISCHARGED,
    CaseEvent.Kind.MOVED,
]


def _shelter_member(user) -> int | None:
    membership = user.membership if user.is_authenticated else None
    if membership is not None and membership.role in (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF):
        return membership.organisation_id
    return None


def case_timeline(*, user, case: Case) -> QuerySet[CaseEvent]:
    """The case's events for the user: a shelter's people see the case's own steps, not the
    referrals and stays that name other shelters (their stay's are on its own page)."""
    events = case.events.select_related("actor")
    if _shelter_member(user) is not None:
        events = events.exclude(kind__in=_ELSEWHERE)
    return events


def document_get_visible(*, user, case_id: int, document_id: int) -> CaseDocument:
    case = case_get_visible(user=user, case_id=case_id)
    try:
        return case.files.get(pk=document_id)
    except (CaseDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def document_get_for_display(*, user, case_id: int, document_id: int) -> CaseDocument:
    """An uploaded document to download: its case visible (404 otherwise), the reading logged."""
    return read_for_display(
        document_get_visible, user=user, case_id=case_id, document_id=document_id
    )


def operation_list_for(*, user) -> QuerySet[Operation]:
    """The operations of the user's own office."""
    membership = user.membership if user.is_authenticated else None
    if membership is None:
        return Operation.objects.none()
    return Operation.objects.filter(organisation=membership.organisation).select_related("province")


def operation_get_for(*, user, operation_id: int) -> Operation:
    """One operation of the user's office, or 404 (another office's is not confirmed to
    exist)."""
    try:
        return operation_list_for(user=user).get(pk=operation_id)
    except (Operation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def intake_batch_list_for(*, user) -> QuerySet[IntakeBatch]:
    """The intake files of the operations of the user's own office."""
    return IntakeBatch.objects.filter(
        operation__in=operation_list_for(user=user).values("pk")
    ).select_related("operation", "uploaded_by")


def intake_batch_get_for(*, user, operation_id: int, batch_id: int) -> IntakeBatch:
    operation = operation_get_for(user=user, operation_id=operation_id)
    try:
        batch = operation.intake_batches.select_related("uploaded_by").get(pk=batch_id)
    except (IntakeBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    batch.operation = operation
    return batch


def operation_clocks(*, user, operation: Operation) -> dict[str, int]:
    """Where an operation's identification (Act s.29) stands, over the cases the user may see:
    screenings open (their clock running), of which due soon (sla.models.DUE_SOON) and
    breached (past the deadline, whether or not the sweep has marked it yet); and persons
    whose case has no screening yet (operation_screenings_start starts them). Two queries,
    whatever the number of persons."""
    now = timezone.now()
    cases = case_list_visible_to(user=user).filter(operation=operation)
    running = Q(status__in=ACTIVE_SCREENING_STATES)
    clocks = Screening.objects.filter(case__in=cases.values("pk")).aggregate(
        open=Count("pk", filter=running),
        due_soon=Count(
            "pk", filter=running & Q(deadline_at__gt=now, deadline_at__lte=now + DUE_SOON)
        ),
        breached=Count("pk", filter=running & Q(deadline_at__lte=now)),
    )
    clocks["without_screening"] = (
        cases.filter(
            owner_id=operation.organisation_id,
            status__in=OPEN_CASE_STATES,
        )
        .exclude(Exists(Screening.objects.filter(case_id=OuterRef("pk"))))
        .count()
    )
    return clocks


def person_holding_document(*, kind: str, number: str, issuing_country: str = "") -> Person | None:
    """Whoever holds this identity document on record, whoever may see them: for the services'
    checks (a document is one person's), never to be shown as such."""
    documents = IdentityDocument.objects.filter(
        kind=kind, number=IdentityDocument.normalise_number(number)
    )
    if issuing_country:
        documents = documents.filter(issuing_country=issuing_country)
    document = documents.select_related("person").first()
    return document.person if document is not None else None


def case_stays(case: Case) -> list:
    """The case's shelter stays with their section, shelter and its organisation, read once
    per case object (prefetched onto it): the case page shows them, and its "waiting because
    ..." section reads them again off the same case."""
    stays = case.placements.model.objects.select_related("unit__shelter__organisation")
    prefetch_related_objects([case], Prefetch("placements", queryset=stays))
    return list(case.placements.all())


def case_stays_for(*, user, case: Case) -> list:
    """The case's shelter stays the user may see on it: a shelter's people their own
    shelter's stays only (where else the person lived is not theirs to know)."""
    stays = case_stays(case)
    shelter = _shelter_member(user)
    if shelter is None:
        return stays
    return [stay for stay in stays if stay.unit.shelter.organisation_id == shelter]


def case_team(case: Case) -> list:
    """Who answers for a case in its owning office: the lead social worker and the office's
    supervisors (notifications.matrix.Audience.CASE_TEAM)."""
    supervisors = member_users(organisation=case.owner, roles=[Role.SUPERVISOR])
    lead = [case.lead_worker] if case.lead_worker_id and case.lead_worker.is_active else []
    return [*lead, *supervisors]


def consent_latest(case: Case, step: str) -> Consent | None:
    """The person's latest recorded will for one step: it governs (an earlier refusal later
    given is not a refusal, and a consent later refused is withdrawn)."""
    return case.consents.filter(step=step).order_by("-recorded_at", "-pk").first()


def referral_consent_refused(case: Case) -> Consent | None:
    """The person's latest recorded will on being referred, when it is a refusal."""
    latest = consent_latest(case, ConsentStep.REFERRAL)
    return latest if latest is not None and latest.decision == Consent.Decision.REFUSED else None


# --- What a partner agency sees: the parts of a case shared with it, until the expiry ---------


def _live_shares(user) -> QuerySet[AccessGrant]:
    if not user.is_authenticated or user.membership is None:
        return AccessGrant.objects.none()
    if user.membership.role != Role.PARTNER:
        return AccessGrant.objects.none()
    return AccessGrant.objects.filter(
        user_id=user.pk,
        organisation_id=user.membership.organisation_id,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def case_shared_with_agency(*, case_id: int, organisation_id: int, at=None) -> bool:
    """Whether someone of the partner agency sees the case now (at `at`) through a live share:
    a task on the case's plan may go to it, and its tasks end when this turns false."""
    return AccessGrant.objects.filter(
        case_id=case_id,
        organisation_id=organisation_id,
        revoked_at__isnull=True,
        expires_at__gt=at or timezone.now(),
    ).exists()


def case_shares_of(*, user) -> QuerySet[AccessGrant]:
    """A partner officer's live shares, soonest expiry first, with the case and the person the
    home page names (the person's name only where identity is shared: the page asks
    `share.shows(IDENTITY)`). Not the partner role, or shared by another organisation than the
    officer works in now: none."""
    return _live_shares(user).select_related("case__person", "case__owner").order_by("expires_at")


class CaseShare:
    """A case as a partner sees it: the case, the live grants to the officer, and the union of
    their parts. Nothing but the shared parts is read through it."""

    def __init__(self, case: Case, grants: list[AccessGrant]):
        self.case = case
        self.grants = grants
        self.parts = {part for grant in grants for part in grant.parts}
        self.expires_at = max(grant.expires_at for grant in grants)
        self.purpose = grants[0].purpose

    def shows(self, part: str) -> bool:
        return part in self.parts

    @property
    def person(self) -> Person | None:
        return self.case.person if self.shows(SharedPart.IDENTITY) else None

    def screenings(self) -> QuerySet[Screening]:
        if not self.shows(SharedPart.SCREENING):
            return Screening.objects.none()
        members = ScreeningMember.objects.select_related("organisation")
        return self.case.screenings.prefetch_related(Prefetch("members", members), "indicators")

    def interviews(self) -> QuerySet[Interview]:
        """The person's interviews on this case (every screening's), oldest first."""
        if not self.shows(SharedPart.INTERVIEWS):
            return Interview.objects.none()
        return Interview.objects.filter(screening__case=self.case).order_by("held_at", "pk")

    def files(self) -> QuerySet[CaseDocument]:
        if not self.shows(SharedPart.DOCUMENTS):
            return CaseDocument.objects.none()
        return self.case.files.all()


def case_share_get(*, user, case_id: int) -> CaseShare:
    """The case shared with a partner officer, with its live grants; 404 when none is live (an
    expired share is as if it never existed)."""
    grants = list(
        _live_shares(user).filter(case_id=case_id).select_related("case__person", "case__owner")
    )
    if not grants:
        raise Http404
    return CaseShare(grants[0].case, grants)


def case_share_get_for_display(*, user, case_id: int) -> CaseShare:
    """The shared case for the partner's page, the reading logged against the case."""
    share = case_share_get(user=user, case_id=case_id)
    record_display(share.case, user=user)
    return share


def shared_document_get_for_display(*, user, case_id: int, document_id: int) -> CaseDocument:
    """A document of a case shared with the partner with its documents: 404 otherwise; the
    reading logged."""
    share = case_share_get(user=user, case_id=case_id)
    try:
        document = share.files().get(pk=document_id)
    except (CaseDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return record_display(document, user=user)


def interview_counts(*, person_ids) -> dict[int, int]:
    """How many times each person was interviewed, over all their cases (the target: at most
    two, so that a victim tells the story once to the whole team)."""
    rows = (
        Interview.objects.filter(screening__case__person_id__in=person_ids)
        .values("screening__case__person_id")
        .annotate(count=Count("pk"))
    )
    return {row["screening__case__person_id"]: row["count"] for row in rows}


def partner_memberships() -> QuerySet[Membership]:
    """The working memberships of the officers of active partner agencies."""
    return Membership.objects.working().filter(
        role=Role.PARTNER, organisation__kind=Organisation.Kind.PARTNER
    )


def mdt_account_memberships(*, case: Case, all_partners: bool) -> QuerySet[Membership]:
    """The working memberships through which an account may sit on the case's MDT: the case's
    own office's, and the partner officers' the case is shared with now, or every partner
    officer's when `all_partners` (for who may share the case, the only one offered the list
    of partner officers: nobody else learns from it who has an account)."""
    partners = partner_memberships()
    if not all_partners:
        live = case.access_grants.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
        partners = partners.filter(user__in=live.values("user"))
    return Membership.objects.working().filter(organisation=case.owner) | partners
