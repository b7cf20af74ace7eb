from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.versions import VersionField

from .matrix import Topic


class PreferenceForm(StyledFormMixin, forms.Form):
    email = forms.BooleanField(label=_("Also send me each notification by e-mail"), required=False)
    topics = forms.MultipleChoiceField(
        label=_("By e-mail, about"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Everything stays in your inbox here; untick what you do not want by e-mail."),
    )
    version = VersionField()
