from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin

from .models import AuditEvent


class AuditSearchForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEvent.Action.choices]
    )
    object_type = forms.ModelChoiceField(
        label=_("Kind of record"),
        required=False,
        # Records a reviewer looks for: not the case-number counter or the permission tables.
        queryset=ContentType.objects.filter(
            app_label__in=["cases", "referrals", "shelters", "accounts"]
        )
        .exclude(model="casenumbercounter")
        .exclude(model__endswith="objectpermission")
        .order_by("app_label", "model"),
        empty_label=_("All"),
    )
    object_id = forms.CharField(label=_("Record number"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
