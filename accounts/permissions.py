"""Small predicates about who a user is; the object-level rules join them with the cases."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .models import Role

# The roles accountable for personal data (DESIGN.md §6): only they take a list away in a file.
EXPORTING_ROLES = (Role.CENTRAL_REVIEWER, Role.SUPERVISOR, Role.SHELTER_DIRECTOR)


def has_role(user, *roles: str) -> bool:
    membership = user.membership if user.is_authenticated else None
    return membership is not None and membership.role in roles


def may_export(user) -> bool:
    return has_role(user, *EXPORTING_ROLES)


def role_required(*roles: Role):
    """Let a view be used only by signed-in users holding one of `roles`: anonymous users go to
    the sign-in page, signed-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def role_permission(*roles: Role) -> type[BasePermission]:
    """The API's `role_required`: a DRF permission that lets through signed-in users holding
    one of `roles` (401 without credentials, 403 for another role)."""

    class HasRole(BasePermission):
        def has_permission(self, request, view):
            return has_role(request.user, *roles)

    return HasRole
