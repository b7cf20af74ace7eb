from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.forms import DateInput, StyledFormMixin
from core.versions import VersionField

from .workflow import TaskStatus


class PlanTaskForm(StyledFormMixin, forms.Form):
    """A task for one organisation on the case: its own office or a partner agency it is
    shared with now (the service checks it again)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation that does it"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Task"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class TaskMoveForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS.label),
            (TaskStatus.DONE, TaskStatus.DONE.label),
            (TaskStatus.CANCELLED, TaskStatus.CANCELLED.label),
        ],
    )
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )
    version = VersionField()
