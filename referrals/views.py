from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from cases.selectors import second_review_queue
from shelters.selectors import shelter_list_with_units


@role_required(Role.CENTRAL_REVIEWER)
def home(request):
    """The central division's landing page: decisions waiting for a second review, and the
    national shelter network."""
    return render(
        request,
        "referrals/home.html",
        {
            "second_reviews": second_review_queue(user=request.user)[:100],
            "shelters": shelter_list_with_units(),
        },
    )
