from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from accounts.selectors import colleague_list


@role_required(Role.SOCIAL_WORKER, Role.SUPERVISOR)
def home(request):
    """A provincial office's landing page: who you are and who works with you."""
    organisation = request.user.membership.organisation
    return render(
        request, "cases/home.html", {"colleagues": colleague_list(organisation=organisation)}
    )
