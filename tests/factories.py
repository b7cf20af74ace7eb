import factory

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
    import datetime as dt

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
