from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SheltersConfig(AppConfig):
    name = "shelters"
    verbose_name = _("Shelters")

    def ready(self):
        from functools import partial

        from accounts.models import Role
        from cases.extensions import (
            register_linked_model,
            register_residence,
            register_visibility,
        )

        from .models import Placement, PlacementStatus
        from .selectors import cases_resident_in, living_elsewhere

        # A director sees present and past residents; the staff only present ones (DESIGN.md §6).
        register_visibility(
            Role.SHELTER_DIRECTOR, condition=partial(cases_resident_in, current_only=False)
        )
        register_visibility(
            Role.SHELTER_STAFF, condition=partial(cases_resident_in, current_only=True)
        )
        register_linked_model(
            Placement,
            running=Q(status=PlacementStatus.ADMITTED),
            why_open=_("The person still lives in a shelter under this case: discharge first."),
        )
        register_residence(living_elsewhere)
