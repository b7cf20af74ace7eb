from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not correct. Note that capital and small letters differ."
        ),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-control",
                "autofocus": True,
            }
        ),
    )


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=_("Enrolment code from your administrator"),
        max_length=20,
        help_text=_("Ten letters and digits, given to you in person or by phone."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "class": "form-control", "autofocus": True}
        ),
    )


class _NewPasswordHelp:
    """Django's confirmation hint, in this application's words (Django's Thai lacks it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = _("Type the new password again.")


class PasswordChangeForm(_NewPasswordHelp, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(_NewPasswordHelp, auth_forms.SetPasswordForm):
    pass
