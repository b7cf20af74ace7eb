from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin


class PreferenceForm(StyledFormMixin, forms.Form):
    email = forms.BooleanField(label=_("Also send me each notification by e-mail"), required=False)
