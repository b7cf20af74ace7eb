from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required

from .selectors import shelter_for_organisation


@role_required(Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF)
def home(request):
    """A shelter's landing page: who you are and the shelter's sections and beds."""
    shelter = shelter_for_organisation(request.user.membership.organisation)
    return render(request, "shelters/home.html", {"shelter": shelter})
