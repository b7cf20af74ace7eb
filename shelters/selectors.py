"""Reads about shelters."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role
from accounts.selectors import member_users
from audit.reads import read_for_display
from cases.models.person import Sex, age_on, display_name, presumed_child
from cases.selectors import case_list_visible_to
from core.dates import format_date
from core.lists import url_for_pk
from referrals.models import Kind, Referral, Urgency
from referrals.selectors import inbox, redirect_targets, table_columns, with_running_deadlines
from referrals.workflow import State

from .models import Placement, PlacementStatus, Section, Shelter, ShelterUnit, TargetGroup


def current_stay(*, person_id: int, other_than_case_id: int | None = None) -> Placement | None:
    """The person's present shelter stay (one at most: the database keeps it so), if it is
    under a case other than `other_than_case_id`."""
    stays = Placement.objects.filter(person_id=person_id, status=PlacementStatus.ADMITTED)
    if other_than_case_id is not None:
        stays = stays.exclude(case_id=other_than_case_id)
    return stays.select_related("case", "unit__shelter__organisation").first()


def living_elsewhere(case) -> str:
    """Where the case's person lives now under another of their cases, or "" (registered with
    cases.extensions: a referral for a shelter bed is refused at acceptance)."""
    stay = current_stay(person_id=case.person_id, other_than_case_id=case.pk)
    if stay is None:
        return ""
    # The other case may belong to an office that may not see it: its number is not named.
    return _(
        "This person already lives in %(unit)s under another of their cases: one person has "
        "one bed. A move to another shelter is a transfer referral from that case."
    ) % {"unit": stay.unit}


def residence_warning(case, *, sender_id: int | None = None) -> str:
    """Where the case's person lives now, for whoever refers them to a shelter (the sender's
    form, the receiver's referral page), or "": under another of their cases (a bed is refused
    at acceptance: living_elsewhere), or under this very case (a move to another shelter is a
    transfer that their shelter asks for). A transfer sent by the shelter they live in, whose
    own referral this is, warns nobody."""
    stay = current_stay(person_id=case.person_id)
    if stay is None or stay.unit.shelter.organisation_id == sender_id:
        return ""
    if stay.case_id != case.pk:
        return living_elsewhere(case)
    return _(
        "This person lives in %(unit)s now, since %(date)s. A move to another shelter is a "
        "transfer that %(shelter)s asks for from the person's stay."
    ) % {
        "unit": stay.unit,
        "date": format_date(timezone.localtime(stay.admitted_at).date()),
        "shelter": stay.unit.shelter.organisation.name,
    }


def cases_resident_in(organisation_id: int, *, current_only: bool) -> Q:
    """A Q over Case: the cases with a stay in the organisation's shelter (present ones only,
    or past ones too); registered with cases.extensions."""
    placements = Placement.objects.filter(
        case_id=OuterRef("pk"), unit__shelter__organisation_id=organisation_id
    )
    if current_only:
        placements = placements.filter(status=PlacementStatus.ADMITTED)
    return Q(Exists(placements))


def units_with_occupancy() -> QuerySet[ShelterUnit]:
    """Units with `occupied` (active placements, counted) and `free_beds` annotated."""
    # A subquery on the active placements only (a partial index), not a join over every stay
    # the units ever had: ten years of discharged placements would be counted through.
    occupied = Coalesce(
        Subquery(
            Placement.objects.filter(unit=OuterRef("pk"), status=PlacementStatus.ADMITTED)
            .order_by()
            .values("unit")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )
    return ShelterUnit.objects.annotate(occupied=occupied, free_beds=F("capacity") - occupied)


def shelter_list_with_units() -> QuerySet[Shelter]:
    """All active shelters with their units' occupancy and their total beds, in two queries
    whatever the number of shelters."""
    return (
        Shelter.objects.filter(organisation__is_active=True)
        .select_related("organisation__province")
        .prefetch_related(Prefetch("units", queryset=units_with_occupancy().order_by("section")))
        .annotate(total_beds=Sum("units__capacity"))
    )


# Which persons each target group takes in: (sexes, youngest age, oldest age or None).
TARGET_GROUP_FIT = {
    TargetGroup.WOMEN_AND_GIRLS: ({"female"}, 0, None),
    TargetGroup.WOMEN_AND_CHILDREN: ({"female"}, 0, None),
    TargetGroup.MEN: ({"male"}, 18, None),
    TargetGroup.MEN_AND_BOYS: ({"male"}, 15, None),
}


# Who each section is meant for: (sexes or None for any, children, adults).
SECTION_FIT = {
    Section.WOMEN: ({"female"}, False, True),
    Section.GIRLS: ({"female"}, True, False),
    Section.MEN: ({"male"}, False, True),
    Section.BOYS: ({"male"}, True, False),
    Section.FAMILIES: (None, True, True),
    Section.ACCESSIBLE: (None, True, True),
    Section.LGBTQI: (None, False, True),
}


def section_warnings(*, unit: ShelterUnit, person) -> list[str]:
    """Why a person does not fit a section: a child (under 18, or of disputed or unknown age)
    in an adult section, an adult among children, a person in a section of the other sex.
    The director may still admit them, with a reason, which the central division is told."""
    return section_misfit(unit=unit, sex=person.sex, child=person.is_child)


def section_misfit(*, unit: ShelterUnit, sex: str, child: bool) -> list[str]:
    """section_warnings for a person known by their sex and whether they are presumed a child
    (the bed board's residents, read as plain values)."""
    sexes, children, adults = SECTION_FIT[unit.section]
    if (children if child else adults) and (sexes is None or sex in sexes):
        return []
    section = unit.get_section_display()
    warnings = []
    if child and not children:
        warnings.append(_("A child in the adult section %(section)s.") % {"section": section})
    if not child and not adults:
        warnings.append(_("An adult in the children's section %(section)s.") % {"section": section})
    if sexes is not None and sex not in sexes:
        warnings.append(
            _("A person recorded as %(sex)s in the section %(section)s.")
            % {"sex": str(dict(Sex.choices).get(sex, sex)).lower(), "section": section}
        )
    return warnings


@dataclass
class BoardResident:
    """A resident as the bed board shows them, from plain values: the stay's id and link, its
    section and planned end, the person's name, sex and whether they are presumed a child,
    instead of the stay, its person and section as model rows (a hundred residents' rows
    cost the board more than the rest of it; docs/PERFORMANCE.md). Logged as the stays they
    are (audit.reads.record_list reads `pk` and `_meta`)."""

    _meta = Placement._meta
    pk: int
    url: str
    unit_id: int
    planned_end: dt.date | None
    name: str
    sex: str
    child: bool
    section: str = ""  # the section's name, set by bed_board


def residents_on_board(*, units: Sequence[ShelterUnit]) -> list[BoardResident]:
    """The current residents of the shelter's sections `units`, in `residents`' order, as the
    bed board shows them. One query, on the stay and its person only."""
    url = url_for_pk("shelters:resident")
    today = timezone.localdate()
    rows = (
        Placement.objects.filter(unit__in=units, status=PlacementStatus.ADMITTED)
        .order_by(*RESIDENTS_ORDER)
        .values_list(
            "pk",
            "unit_id",
            "planned_end",
            "person__name_th",
            "person__name_latin",
            "person__name_native",
            "person__sex",
            "person__date_of_birth",
            "person__estimated_age",
            "person__age_estimated_on",
            "person__created_at",
            "person__age_disputed",
        )
    )
    return [
        BoardResident(
            pk=pk,
            url=url(pk),
            unit_id=unit_id,
            planned_end=planned_end,
            name=display_name(name_th, name_latin, name_native),
            sex=sex,
            child=presumed_child(
                age_on(
                    today,
                    date_of_birth=born,
                    estimated_age=estimated,
                    age_estimated_on=estimated_on,
                    created_at=created_at,
                ),
                age_disputed=disputed,
            ),
        )
        for (
            pk,
            unit_id,
            planned_end,
            name_th,
            name_latin,
            name_native,
            sex,
            born,
            estimated,
            estimated_on,
            created_at,
            disputed,
        ) in rows
    ]


def bed_board(*, units: Sequence[ShelterUnit], residents: Sequence[BoardResident]) -> None:
    """The shelter's sections `units` counted from its `residents` (all of them, as
    residents_on_board reads them): each section's `occupied`, `free_beds` and `children`,
    and which residents do not fit it (admitted with the director's override, or from older
    data) with the reasons, as `misfits`; each resident is given its section's name. The
    occupancy is the count units_with_occupancy makes, from the rows the board has read."""
    for unit in units:
        here = [resident for resident in residents if resident.unit_id == unit.pk]
        section = unit.get_section_display()
        for resident in here:
            resident.section = section
        unit.occupied = len(here)
        unit.free_beds = unit.capacity - unit.occupied
        unit.children = sum(resident.child for resident in here)
        unit.misfits = [
            (resident, warnings)
            for resident in here
            if (warnings := section_misfit(unit=unit, sex=resident.sex, child=resident.child))
        ]


def fit_warnings(*, shelter: Shelter, person) -> list[str]:
    """Why a person may not fit a shelter's target group (a warning, not a refusal: the
    director decides). A child of either sex fits a shelter for women and children."""
    sexes, youngest, _oldest = TARGET_GROUP_FIT[shelter.target_group]
    age = person.age()
    warnings = []
    child_welcome = shelter.target_group == TargetGroup.WOMEN_AND_CHILDREN and person.is_child
    if person.sex not in sexes and not child_welcome:
        warnings.append(
            _("%(shelter)s takes in %(group)s; this person is recorded as %(sex)s.")
            % {
                "shelter": shelter.organisation.name,
                "group": shelter.get_target_group_display().lower(),
                "sex": person.get_sex_display().lower(),
            }
        )
    if age is not None and age < youngest:
        warnings.append(
            _("%(shelter)s takes in persons aged %(age)d and over.")
            % {"shelter": shelter.organisation.name, "age": youngest}
        )
    return warnings


def fitting_free_beds(*, shelter: Shelter, person) -> int:
    """The free beds of the shelter's sections meant for the person (as `section_warnings`
    judges), none when its target group does not take them in (`fit_warnings`)."""
    if fit_warnings(shelter=shelter, person=person):
        return 0
    return sum(
        max(unit.free_beds, 0)
        for unit in shelter.units.all()
        if not section_warnings(unit=unit, person=person)
    )


@dataclass
class RedirectGroup:
    """One group of the redirect form's list: organisations of one kind, each with its
    shelter (None for an organisation that is not a shelter)."""

    label: str
    options: list[tuple[Organisation, Shelter | None]]

    @property
    def shelters(self) -> list[tuple[Organisation, Shelter]]:
        return [(organisation, shelter) for organisation, shelter in self.options if shelter]


def redirect_choices(*, referral: Referral) -> list[RedirectGroup]:
    """The redirect form's list for a declined referral, in the groups of referrals.selectors
    .redirect_targets (shelters first, those with a free bed for the person before the
    others): a shelter with its sections' live free beds (`units`), `fitting_beds` for the
    referral's person and its target-group `warnings`. Three queries, however many
    organisations."""
    person = referral.case.person
    shelters = {shelter.organisation_id: shelter for shelter in shelter_list_with_units()}
    groups = []
    for group in redirect_targets(referral):
        options = []
        for organisation in group.organisations:
            shelter = shelters.get(organisation.pk)
            if shelter is not None:
                shelter.fitting_beds = fitting_free_beds(shelter=shelter, person=person)
                shelter.warnings = fit_warnings(shelter=shelter, person=person)
            options.append((organisation, shelter))
        # Shelters with a bed for the person first (a stable sort: by name within each part).
        options.sort(key=lambda option: option[1] is not None and not option[1].fitting_beds)
        groups.append(RedirectGroup(group.label, options))
    return groups


def shelter_of(user) -> Shelter:
    """The shelter the user works in, with its organisation (404 for anyone else)."""
    membership = user.membership
    try:
        return Shelter.objects.select_related("organisation").get(
            organisation_id=membership.organisation_id
        )
    except (Shelter.DoesNotExist, AttributeError):
        raise Http404 from None


def shelter_and_sections(user) -> tuple[Shelter, list[ShelterUnit]]:
    """The shelter the user works in (shelter_of: 404 for anyone else) and its sections, in
    one query while it has any."""
    membership = user.membership
    try:
        units = list(
            ShelterUnit.objects.filter(shelter__organisation_id=membership.organisation_id)
            .select_related("shelter__organisation")
            .order_by("section")
        )
    except AttributeError:
        raise Http404 from None
    if not units:
        return shelter_of(user), []
    shelter = units[0].shelter
    for unit in units:
        unit.shelter = shelter  # one shelter for the page, not one copy per section
    return shelter, units


# The soonest planned departure first.
RESIDENTS_ORDER = (F("planned_end").asc(nulls_last=True), "admitted_at")


def residents(*, shelter: Shelter) -> QuerySet[Placement]:
    """The shelter's current residents, with the soonest planned departure first."""
    return (
        Placement.objects.filter(unit__shelter=shelter, status=PlacementStatus.ADMITTED)
        .select_related("case__person", "unit")
        .order_by(*RESIDENTS_ORDER)
    )


def placement_list_visible_to(*, user) -> QuerySet[Placement]:
    """Placements of the cases the user may see; shelter staff only their current residents."""
    placements = Placement.objects.select_related(
        "case__person", "unit__shelter__organisation", "referral"
    ).filter(case__in=case_list_visible_to(user=user).values("pk"))
    membership = user.membership if user.is_authenticated else None
    if membership is not None and membership.role in (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF):
        # A shelter sees its own stays of the person, not another shelter's care records.
        placements = placements.filter(unit__shelter__organisation_id=membership.organisation_id)
    return placements


def placement_get_visible(*, user, placement_id) -> Placement:
    try:
        return placement_list_visible_to(user=user).get(pk=placement_id)
    except (Placement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def placement_get_for_display(*, user, placement_id: int) -> Placement:
    """A stay for its page: visible (404 otherwise), the reading logged."""
    return read_for_display(placement_get_visible, user=user, placement_id=placement_id)


# The bed board's referrals: the urgent ones that still wait for the shelter's answer, and the
# accepted ones waiting for a bed (the oldest first, urgent ones before).
URGENT_UNANSWERED = Q(urgency=Urgency.URGENT, state__in=[State.SUBMITTED, State.ACKNOWLEDGED])
WAITING_FOR_A_BED = Q(kind=Kind.SHELTER_PLACEMENT, state=State.ACCEPTED)
WAITING_ORDER = ("-urgency", "submitted_at")
URGENT_SHOWN = 50
# What the board shows of a waiting referral beside a referral table's columns: the person's
# sex and age (shelters/_who.html), the sender's code (the API).
WAITING_FIELDS = (
    "submitted_at",
    "case__person__sex",
    "case__person__date_of_birth",
    "case__person__estimated_age",
    "case__person__age_estimated_on",
    "case__person__created_at",
    "case__person__age_disputed",
    "from_organisation__code",
)


@dataclass
class BoardReferrals:
    urgent: list[Referral]  # newest first, with their `running_deadlines`
    waiting: list[Referral]  # WAITING_ORDER


def board_referrals(*, user) -> BoardReferrals:
    """A shelter director's referrals on the bed board, from their inbox (referrals.selectors
    .inbox, the receiver's visibility): the urgent ones that still wait for an answer, with
    their running clocks, and the accepted ones waiting for a bed; read together, with only
    the columns the board shows. Two queries: the referrals, and the urgent ones' clocks."""
    referrals = list(
        table_columns(
            inbox(user=user).filter(URGENT_UNANSWERED | WAITING_FOR_A_BED), *WAITING_FIELDS
        ).order_by(*WAITING_ORDER)
    )
    # Unanswered urgent referrals are all urgent: reversed, they are the inbox's newest first.
    urgent = [referral for referral in reversed(referrals) if referral.state != State.ACCEPTED]
    return BoardReferrals(
        urgent=with_running_deadlines(urgent[:URGENT_SHOWN]),
        waiting=[referral for referral in referrals if referral.state == State.ACCEPTED],
    )


def residence_shelter(case):
    """The organisation of the shelter where the case's person lives now under this case, or
    None (a stay under another case is another office's, and that shelter does not see this
    case)."""
    stay = (
        case.placements.filter(status=PlacementStatus.ADMITTED)
        .select_related("unit__shelter__organisation")
        .first()
    )
    return stay.unit.shelter.organisation if stay is not None else None


def residence_staff(case) -> list:
    """The director and staff of that shelter (notifications' Audience.RESIDENCE): what
    concerns a resident (a court hearing, a return home) is theirs to prepare."""
    shelter = residence_shelter(case)
    if shelter is None:
        return []
    return list(
        member_users(organisation=shelter, roles=[Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF])
    )
