"""The filters of the lessons-learned register and of its export. GET parameters: `status`,
`topic`, `kind` (of the organisation that raised the item)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.lists import FilterForm

from .models import Lesson, Topic
from .permissions import RAISING_KINDS
from .workflow import LessonStatus


class LessonFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        label=_("Status"), choices=LessonStatus.choices, empty_label=_("All")
    )
    topic = filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices, empty_label=_("All"))
    kind = filters.ChoiceFilter(
        label=_("Raised by"),
        field_name="organisation__kind",
        choices=[(kind.value, kind.label) for kind in Organisation.Kind if kind in RAISING_KINDS],
        empty_label=_("All"),
    )

    class Meta:
        model = Lesson
        fields = []
        form = FilterForm
