"""Give someone a powerful role (central reviewer, system administrator), on the server only,
with a second person named as approver: the admin refuses these roles (accounts/admin.py)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation, Role, User
from accounts.services import powerful_role_grant


class Command(BaseCommand):
    help = "Give USER the ROLE in ORGANISATION (by code), approved by APPROVER (a user name)."

    def add_arguments(self, parser):
        parser.add_argument("user")
        parser.add_argument("organisation")
        parser.add_argument("role", choices=[Role.CENTRAL_REVIEWER, Role.SYSADMIN])
        parser.add_argument("--approved-by", required=True, dest="approver")

    def handle(self, *args, user, organisation, role, approver, **options):
        try:
            membership = powerful_role_grant(
                user=User.objects.get(username=user),
                organisation=Organisation.objects.get(code=organisation),
                role=role,
                approver=User.objects.get(username=approver),
            )
        except (User.DoesNotExist, Organisation.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{user}: {membership.get_role_display()} of {membership.organisation}")
