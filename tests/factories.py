import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from accounts.services import membership_add


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SOCIAL_WORKER
    organisation = factory.LazyFunction(lambda: Organisation.objects.get(code="pso-50"))


def member(role: Role, organisation_code: str, username: str | None = None) -> User:
    """A user holding `role` in the organisation with `organisation_code` (reference data)."""
    user = UserFactory(**({"username": username} if username else {}))
    organisation = Organisation.objects.get(code=organisation_code)
    membership_add(user=user, organisation=organisation, role=role)
    return user


def thai_id(first_twelve: str) -> str:
    """A valid Thai ID number: the 12 given digits and their check digit."""
    total = sum(int(d) * w for d, w in zip(first_twelve, range(13, 1, -1), strict=True))
    return first_twelve + str((11 - total % 11) % 10)


def register_case(actor, **person_fields):
    """A person registered by `actor` with an open case in the actor's office."""
    from cases import services

    person_fields.setdefault("name_th", "สมศรี ใจดี")
    person_fields.setdefault("sex", "female")
    person = services.person_create(actor=actor, **person_fields)
    return services.case_open(
        actor=actor,
        person=person,
        intake_channel="hotline_1300",
        intake_date=dt.date(2026, 11, 1),
        intake_province=actor.membership.organisation.province,
        exploitation_types=["labour_fishing"],
    )


# --- Builders: objects in a given state, made through the product's services -------------------
#
# Each builder takes the same path a user would (the services write the events, the deadlines,
# the audit entries and the notifications), so the objects are what the pages and the API meet in
# real use; none writes a state field. The actors are passed in (the personas of conftest.py), as
# each move is allowed only to its rightful actor.

SHELTER_CODE = "shelter-kredtrakarn"

CASE_STATES = ("open", "closed", "reopened")
# The person's outcome a case closes with (outcomes.services.closure_outcome_record): the
# shortest honest one, the person could no longer be reached.
OUTCOME_AT_CLOSURE = {"contact": "contact_lost"}
SCREENING_STATES = (
    "open",
    "decided",
    "awaiting_mdt",
    "pending_second_review",
    "confirmed",
    "reopened",
)
REFERRAL_STATES = (
    "draft",
    "submitted",
    "acknowledged",
    "accepted",
    "declined",
    "completed",
    "withdrawn",
)
REVIEW_STATES = ("pending", "endorsed", "queried", "escalated")
# The moves from a draft to each state: (service, who makes it). Declined, completed and
# withdrawn end their path here; the others lead on.
_REFERRAL_PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "acknowledged": ["submit", "acknowledge"],
    "accepted": ["submit", "acknowledge", "accept"],
    "declined": ["submit", "acknowledge", "decline"],
    "completed": ["submit", "acknowledge", "accept", "complete"],
    "withdrawn": ["submit", "withdraw"],
}


def case_in_state(actor, state: str = "open", **person_fields):
    """A case registered by `actor` (register_case), then closed, or closed and reopened."""
    from cases import services

    if state not in CASE_STATES:
        raise ValueError(f"a case is {' / '.join(CASE_STATES)}, not {state!r}")
    case = register_case(actor, **person_fields)
    if state in ("closed", "reopened"):
        case = services.case_close(case_id=case.pk, actor=actor, reason="งานเสร็จสิ้น")
    if state == "reopened":
        case = services.case_reopen(case_id=case.pk, actor=actor, reason="มีข้อมูลใหม่")
    return case


def ready_to_decide(screening, actor, indicator_codes=("deception", "debt_bondage")) -> None:
    """What a decision needs besides its MDT members: the s.33 rights told to the person, and
    the indicators that support it."""
    from cases import services

    services.consent_record(
        case=screening.case, actor=actor, step="screening", decision="given", rights_notified=True
    )
    services.screening_update(
        screening_id=screening.pk, actor=actor, indicator_codes=list(indicator_codes)
    )


def screening_in_state(
    actor,
    state: str = "open",
    *,
    case=None,
    custody_started_at=None,
    reviewer=None,
    members=None,
    outcome: str | None = None,
):
    """A screening of `case` (a new case of `actor`'s office when None) started by `actor`
    `custody_started_at` (default: now) with one MDT member, then taken to `state`:

    - decided: a victim outcome (`outcome`, default victim_trafficking) after the s.33 rights
      and two indicators; awaiting_mdt: reasonable grounds; pending_second_review: not a victim;
    - confirmed / reopened: not a victim, then the second review by `reviewer` (a central
      reviewer, required for these two).
    """
    from cases import services

    if state not in SCREENING_STATES:
        raise ValueError(f"a screening is {' / '.join(SCREENING_STATES)}, not {state!r}")
    if state in ("confirmed", "reopened") and reviewer is None:
        raise ValueError(f"a {state} screening needs its second reviewer (reviewer=...)")
    if case is None:
        case = register_case(actor)
    if members is None:
        members = [services.MemberInput(name="ร.ต.อ. สมชาย", agency="police")]
    screening = services.screening_start(
        case_id=case.pk,
        actor=actor,
        custody_started_at=custody_started_at or timezone.now(),
        members=members,
    )
    if state == "open":
        return screening
    ready_to_decide(screening, actor)
    decision = {
        "decided": outcome or "victim_trafficking",
        "awaiting_mdt": "reasonable_grounds",
    }.get(state, "not_victim")
    screening = services.screening_decide(
        screening_id=screening.pk, actor=actor, outcome=decision, reason="ตามความเห็นของทีมสหวิชาชีพ"
    )
    if state in ("confirmed", "reopened"):
        screening = services.screening_second_review(
            screening_id=screening.pk,
            actor=reviewer,
            confirm=state == "confirmed",
            note="ทบทวนแล้ว",
        )
    return screening


def referral_in_state(
    sender,
    state: str = "submitted",
    *,
    case=None,
    receiver=None,
    reviewer=None,
    review: str = "pending",
    to: str = SHELTER_CODE,
    kind: str = "shelter_placement",
    reason: str = "r",
    consent: str = "given",
    person: dict | None = None,
    **fields,
):
    """A referral of `case` (when None, a new case of `sender`'s office: a person aged 25, or
    with the `person` fields given) from `sender`
    to the organisation with the code `to`, taken to `state` by the rightful actors:
    `receiver` (someone who answers for `to`: its director, for a shelter) acknowledges,
    accepts, declines, completes; `sender` submits and withdraws. `review` is the central
    review's state beside it (pending, endorsed, queried or escalated, by `reviewer`); a draft
    has none. Other `fields` go to referral_create (services_requested, urgent, consent_note).
    """
    from referrals import services

    if state not in REFERRAL_STATES:
        raise ValueError(f"a referral is {' / '.join(REFERRAL_STATES)}, not {state!r}")
    if review not in REVIEW_STATES:
        raise ValueError(f"a central review is {' / '.join(REVIEW_STATES)}, not {review!r}")
    path = _REFERRAL_PATHS[state]
    if receiver is None and len(path) > 1 and state != "withdrawn":
        raise ValueError(f"an {state} referral needs the receiver who answered (receiver=...)")
    if review != "pending" and (reviewer is None or state == "draft"):
        raise ValueError(f"a central review {review} needs a submitted referral and a reviewer")
    if case is None:
        case = register_case(sender, **{"estimated_age": 25, **(person or {})})
    elif person:
        raise ValueError("`person` describes a new case; this one exists")
    referral = services.referral_create(
        actor=sender,
        case_id=case.pk,
        to_organisation=Organisation.objects.get(code=to),
        kind=kind,
        reason=reason,
        consent=consent,
        consent_now=consent == "given",
        submit=bool(path),
        **fields,
    )
    for move in path[1:]:
        if move == "withdraw":
            services.referral_withdraw(referral_id=referral.pk, actor=sender, reason="ครอบครัวรับกลับ")
        elif move == "decline":
            services.referral_decline(
                referral_id=referral.pk, actor=receiver, reason="no_bed", note="เต็ม"
            )
        else:
            getattr(services, f"referral_{move}")(referral_id=referral.pk, actor=receiver)
    if review != "pending":
        decision = {"endorsed": "endorse", "queried": "query", "escalated": "escalate"}[review]
        services.referral_review(
            referral_id=referral.pk, actor=reviewer, decision=decision, note="โปรดชี้แจง"
        )
    referral.refresh_from_db()
    return referral


def admission(
    sender,
    director,
    *,
    case=None,
    section: str = "women",
    shelter: str = SHELTER_CODE,
    person: dict | None = None,
    override_reason: str = "",
    **referral_fields,
):
    """A placement: a case of `sender`'s office (when None, a new one as in referral_in_state)
    referred to `shelter` (`referral_fields` as in referral_in_state: reason, services_requested),
    acknowledged and accepted by its `director`, and admitted by them into the section `section`
    (which completes the referral and opens the care-plan deadline). A person the section is not
    meant for needs the director's `override_reason`."""
    from shelters import services
    from shelters.models import ShelterUnit

    referral = referral_in_state(
        sender,
        "accepted",
        case=case,
        person=person,
        receiver=director,
        to=shelter,
        **referral_fields,
    )
    unit = ShelterUnit.objects.get(shelter__organisation__code=shelter, section=section)
    return services.placement_admit(
        referral_id=referral.pk, unit_id=unit.pk, actor=director, override_reason=override_reason
    )


REPATRIATION_STATES = (
    "planned",
    "sent",
    "assessed",
    "scheduled",
    "handed_over",
    "confirmed",
    "cancelled",
)
_REPATRIATION_PATHS = {
    "planned": [],
    "sent": ["send"],
    "assessed": ["send", "assess"],
    "scheduled": ["send", "assess", "schedule"],
    "handed_over": ["send", "assess", "schedule", "hand_over"],
    "confirmed": ["send", "assess", "schedule", "hand_over", "confirm"],
    "cancelled": ["cancel"],
}


def repatriation_in_state(actor, state: str = "planned", *, case=None, person=None):
    """A return home planned by `actor` (a social worker of the office that owns the case) and
    moved to `state` through the services. The case defaults to a new one of a Myanmar woman
    whose consent to return home is on record; a Thai person (`person={"nationality": "TH"}`)
    gets a reintegration to Chiang Rai."""
    from accounts.models import Province
    from cases import services as cases
    from repatriation import services
    from repatriation.models import CounterpartAgency

    if state not in REPATRIATION_STATES:
        raise ValueError(f"a repatriation is {' / '.join(REPATRIATION_STATES)}, not {state!r}")
    if case is None:
        fields = {"name_th": "ขิ่น ซู", "name_latin": "Khin Su", "nationality": "MM"}
        fields.update(person or {})
        case = register_case(actor, **fields)
    cases.consent_record(
        case=case, actor=actor, step="repatriation", decision="given", rights_notified=True
    )
    thai = case.person.nationality == "TH"
    country = case.person.nationality or "MM"  # a person of unknown nationality: Myanmar
    repatriation = services.repatriation_plan(
        actor=actor,
        case_id=case.pk,
        counterpart=None if thai else CounterpartAgency.objects.get(country=country),
        province=Province.objects.get(code="57") if thai else None,
        destination="เมียวดี รัฐกะเหรี่ยง" if not thai else "อ.แม่สาย จ.เชียงราย",
        plan="เจ้าหน้าที่สังคมสงเคราะห์ส่งตัวพร้อมล่าม",
        travel_document="" if thai else "certificate_of_identity",
        travel_document_number="" if thai else "CI-2569-001",
    )
    today = timezone.localdate()
    steps = {
        "send": lambda r: services.repatriation_send(repatriation_id=r, actor=actor),
        "assess": lambda r: services.repatriation_assess(
            repatriation_id=r, actor=actor, assessment="ครอบครัวพร้อมรับ", assessed_on=today
        ),
        "schedule": lambda r: services.repatriation_schedule(
            repatriation_id=r,
            actor=actor,
            handover_on=today + dt.timedelta(days=7),
            handover_place="สะพานมิตรภาพไทย-เมียนมา แม่สอด",
        ),
        "hand_over": lambda r: services.repatriation_hand_over(repatriation_id=r, actor=actor),
        "confirm": lambda r: services.repatriation_confirm(
            repatriation_id=r, actor=actor, confirmed_on=today, reference="DSW/2569/15"
        ),
        "cancel": lambda r: services.repatriation_cancel(
            repatriation_id=r, actor=actor, reason="ผู้เสียหายเปลี่ยนใจ"
        ),
    }
    for step in _REPATRIATION_PATHS[state]:
        repatriation = steps[step](repatriation.pk)
    return repatriation


def partner_officer(agency: str = "police", username: str | None = None, code: str = "") -> User:
    """An officer of a partner agency of Chiang Mai (the agency made when it does not exist)."""
    organisation, _created = Organisation.objects.get_or_create(
        code=code or f"partner-{agency}-50",
        defaults={
            "name_th": f"หน่วยงานภาคี {agency}",
            "name_en": f"Partner {agency}",
            "kind": Organisation.Kind.PARTNER,
            "agency": agency,
            "province": Organisation.objects.get(code="pso-50").province,
        },
    )
    return member(Role.PARTNER, organisation.code, username)


def share_case(case, supervisor, officer, parts, *, days: int = 7, purpose: str = "MDT"):
    """`case` shared by `supervisor` with a partner `officer` (their agency) for `parts`."""
    from cases import services

    return services.access_grant_give(
        case=case,
        actor=supervisor,
        user=officer,
        organisation=officer.membership.organisation,
        parts=list(parts),
        purpose=purpose,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
