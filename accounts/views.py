from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .forms import LoginForm
from .models import Role, User
from .permissions import role_required
from .selectors import organisation_counts

# Each role's landing page: its own work queue (DESIGN.md §7).
ROLE_HOMES = {
    Role.SOCIAL_WORKER: "cases:home",
    Role.SUPERVISOR: "cases:home",
    Role.SHELTER_DIRECTOR: "shelters:home",
    Role.SHELTER_STAFF: "shelters:home",
    Role.CENTRAL_REVIEWER: "referrals:home",
    Role.SYSADMIN: "accounts:sysadmin_home",
}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The language in use at sign-in is the one e-mails to this user will be written in.
        User.objects.filter(pk=form.get_user().pk).update(language=self.request.LANGUAGE_CODE)
        return response


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    """Send each user to their role's work queue."""
    membership = request.user.membership
    if membership is None:
        return render(request, "accounts/no_membership.html", status=403)
    return redirect(ROLE_HOMES[membership.role])


@role_required(Role.SYSADMIN)
def sysadmin_home(request):
    return render(request, "accounts/sysadmin_home.html", {"counts": organisation_counts()})


@require_POST
def switch_language(request):
    """Django's set_language (the cookie), remembered on the account when signed in."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
