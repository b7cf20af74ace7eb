from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login
from knox.models import AuthToken

from audit.models import AuditEvent
from audit.services import audit_record

from . import mfa
from .forms import CodeForm, EnrolmentCodeForm, LoginForm, PasswordChangeForm, SetPasswordForm
from .models import Role, User
from .permissions import role_required
from .selectors import organisation_counts
from .services import api_token_revoke, credentials_revoke

# Each role's landing page: its own work queue (DESIGN.md §7).
ROLE_HOMES = {
    Role.SOCIAL_WORKER: "cases:home",
    Role.SUPERVISOR: "cases:home",
    Role.SHELTER_DIRECTOR: "shelters:home",
    Role.SHELTER_STAFF: "shelters:home",
    Role.CENTRAL_REVIEWER: "referrals:home",
    Role.SYSADMIN: "accounts:sysadmin_home",
    Role.PARTNER: "partners:home",
    Role.DATA_PROTECTION_OFFICER: "privacy:home",
    Role.REGIONAL_OFFICER: "insights:regional",
}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The sign-in through the organisation's identity provider (the sso app), when set up.
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.NRM_OIDC_ENABLED}

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


WRONG_CODE = gettext_lazy("This code is not right. Check the time on your phone and try again.")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("home")


ENROLMENT_ALLOWED = "mfa_enrolment_allowed"


@login_required
def mfa_setup(request):
    """Set up an authenticator app: first the enrolment code an administrator gave the person
    (or a session already verified with the old phone, to move to a new one); then scan the QR
    code (or type the key) and enter the first code."""
    user = request.user
    if mfa.has_mfa_device(user) and not user.is_verified():
        return redirect(f"{reverse('accounts:mfa_verify')}?next={_next(request)}")
    if not user.is_verified() and request.session.get(ENROLMENT_ALLOWED) != user.pk:
        return _enrolment_code_step(request)
    device = mfa.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.confirm_device(request, form.cleaned_data["code"]):
            request.session.pop(ENROLMENT_ALLOWED, None)
            audit_record(action=AuditEvent.Action.UPDATE, actor=user, changes={"mfa": "set up"})
            return redirect(_next(request))
        form.add_error(
            "code", _("This code is not right. Check the time on your phone and try again.")
        )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr": mfa.qr_svg(device),
            "key": mfa.secret_key(device),
            "next": _next(request),
        },
    )


def _enrolment_code_step(request):
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.enrolment_code_accept(user=request.user, code=form.cleaned_data["enrolment_code"]):
            request.session[ENROLMENT_ALLOWED] = request.user.pk
            return redirect(f"{reverse('accounts:mfa_setup')}?next={_next(request)}")
        audit_record(
            action=AuditEvent.Action.LOGIN_FAILED,
            actor=request.user,
            changes={"mfa": "wrong enrolment code"},
        )
        form.add_error(
            "enrolment_code",
            _(
                "This enrolment code is not right, has expired or was already used. Ask your "
                "administrator for a new one."
            ),
        )
    return render(request, "accounts/mfa_enrol.html", {"form": form, "next": _next(request)})


@login_required
def mfa_verify(request):
    """Enter the code from the authenticator app, once per sign-in."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        audit_record(
            action=AuditEvent.Action.LOGIN_FAILED, actor=request.user, changes={"mfa": "wrong code"}
        )
        form.add_error(
            "code", _("This code is not right. Check the time on your phone and try again.")
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next(request)})


@login_required
def sign_in_devices(request):
    """The user's API tokens (the first characters of each, when it ends), to revoke one or
    to end every sign-in at once."""
    return render(
        request,
        "accounts/devices.html",
        {"tokens": AuthToken.objects.filter(user=request.user).order_by("-created")},
    )


@require_POST
@login_required
def token_revoke(request, token_key):
    if not api_token_revoke(user=request.user, token_key=token_key):
        raise Http404
    messages.success(request, _("The token no longer works."))
    return redirect("accounts:devices")


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session (this one too) and every API token of the user: a lost phone."""
    credentials_revoke(request.user, actor=request.user)
    logout(request)
    messages.success(request, _("You are signed out everywhere. Sign in again here."))
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own new password (the old one first). Every other session and every API
    token of theirs ends with the old password; this session stays."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:devices")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.UPDATE,
            actor=self.request.user,
            changes={"password": "changed"},
        )
        messages.success(
            self.request, _("Your new password is saved. Other devices must sign in again.")
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time link an administrator sent (accounts.services.password_reset_send): choose
    a new password. The link stops working once used, or after PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEvent.Action.UPDATE, actor=form.user, changes={"password": "reset"}
        )
        messages.success(self.request, _("Your new password is saved. Sign in with it."))
        return response
