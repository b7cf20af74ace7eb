"""The filters of the deadline board, for its page and its API alike.

GET parameters (the dashboards link into the board with them):

- `clock`: identification, mdt_interview, referral_ack_urgent, ... (sla.models.Clock);
- `province`: the 2-digit code of the province of the organisation answering for the clock,
  given more than once for several (`?province=50&province=63`: the clocks of any of them);
- `organisation`: the code of that organisation (pso-63, shelter-kredtrakarn, ...);
- `escalation`: 0 (not escalated), 1 (escalated once), 2 (escalated twice);
- `status`: running (more than 6 hours left), due_soon (due within 6 hours), breached (past
  its deadline).

They narrow what the user oversees (sla.selectors.deadline_board); a value outside it gives
an empty board, never someone else's clocks.
"""

import django_filters as filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import organisation_choices, province_choices
from core.lists import AnyOfFilter, FilterForm

from .models import Clock, ClockStatus, Deadline, EscalationLevel


class DeadlineBoardFilter(filters.FilterSet):
    clock = filters.ChoiceFilter(label=_("Deadline"), choices=Clock.choices, empty_label=_("All"))
    province = AnyOfFilter(
        label=_("Province"), field_name="organisation__province__code", choices=province_choices
    )
    organisation = filters.ChoiceFilter(
        label=_("Responsible organisation"),
        field_name="organisation__code",
        choices=organisation_choices,
        empty_label=_("All"),
    )
    escalation = filters.ChoiceFilter(
        label=_("Escalation level"),
        field_name="escalation_level",
        choices=EscalationLevel.choices,
        empty_label=_("All"),
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=ClockStatus.choices, empty_label=_("All"), method="in_status"
    )

    class Meta:
        model = Deadline
        fields = []
        form = FilterForm

    def in_status(self, queryset, name, value):
        return queryset.filter(ClockStatus(value).condition(timezone.now()))
