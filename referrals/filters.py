"""The filters of the referral list and its export.

GET parameters:

- `state`: submitted, acknowledged, accepted, declined, completed, withdrawn (draft for the
  sender's own drafts);
- `review_state`: the central review: pending, endorsed, queried, escalated;
- `kind`: shelter_placement, service, transfer;
- `urgency`: normal, urgent;
- `decline_reason`: why the receiver declined (referrals.models.DeclineReason: no_bed, ...);
- `sender`: the code of the sending organisation (pso-50, ...);
- `to`: the code of the receiving organisation (shelter-kredtrakarn, ...);
- `province`: the 2-digit code of the province where the case came in;
- `state` and `province` may be given more than once: the referrals of any of them;
- `from`, `to_date`: the day the referral was submitted (Bangkok time), both days included,
  yyyy-mm-dd. (`to` is the receiving organisation, hence `to_date`.)

They narrow what the user may see (referrals.selectors.referral_list_visible_to).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from accounts.choices import organisation_choices, province_choices
from core.forms import DateInput
from core.lists import AnyOfFilter, FilterForm, keyword_parameters

from .models import DeclineReason, Kind, Referral, Urgency
from .workflow import ReviewState, State


@keyword_parameters
class ReferralFilter(filters.FilterSet):
    state = AnyOfFilter(label=_("State"), choices=State.choices)
    review_state = filters.ChoiceFilter(
        label=_("Central review"),
        choices=[(value, label) for value, label in ReviewState.choices if value],
        empty_label=_("All"),
    )
    kind = filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    urgency = filters.ChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, empty_label=_("All")
    )
    decline_reason = filters.ChoiceFilter(
        label=_("Reason for declining"), choices=DeclineReason.choices, empty_label=_("All")
    )
    sender = filters.ChoiceFilter(
        label=_("Sending organisation"),
        field_name="from_organisation__code",
        choices=organisation_choices,
        empty_label=_("All"),
    )
    to = filters.ChoiceFilter(
        label=_("Receiving organisation"),
        field_name="to_organisation__code",
        choices=organisation_choices,
        empty_label=_("All"),
    )
    province = AnyOfFilter(
        label=_("Intake province"),
        field_name="case__intake_province__code",
        choices=province_choices,
    )
    from_ = filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    to_date = filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = Referral
        fields = []
        form = FilterForm
