from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from shelters.selectors import shelter_list_with_units


@role_required(Role.CENTRAL_REVIEWER)
def home(request):
    """The central division's landing page: who you are and the national shelter network."""
    return render(request, "referrals/home.html", {"shelters": shelter_list_with_units()})
