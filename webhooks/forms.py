from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.forms import StyledFormMixin

from .events import KINDS


class EndpointForm(StyledFormMixin, forms.Form):
    """A new endpoint (webhooks.services.endpoint_register checks the address and the kinds).
    The organisation is asked of a system administrator only; others register their own."""

    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The HTTPS address of your system that receives the events."),
        error_messages={"required": _("Enter the address.")},
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("kind", "code")
    )

    def __init__(self, *args, choose_organisation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_organisation:
            del self.fields["organisation"]
