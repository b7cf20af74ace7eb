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
