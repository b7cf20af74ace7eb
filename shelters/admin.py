"""Shelters and their sections in the admin, for a sysadmin keeping the reference data. The
admin is an entry point like any other: a section's capacity changes through the service (row
lock, never below its residents, audited), and no section or shelter is deleted here (their
stays must stay readable, and Django's refusal to delete a protected row would list the stays,
naming cases to a sysadmin, who sees no victim data)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record

from . import services
from .models import Placement, Shelter, ShelterUnit
from .workflow import PlacementStatus


class ShelterUnitFormSet(forms.BaseInlineFormSet):
    """Refuses, on the form, what the service would refuse: fewer beds than residents."""

    def clean(self):
        super().clean()
        for form in self.forms:
            unit = form.instance
            if unit.pk is None or not hasattr(form, "cleaned_data"):
                continue
            capacity = form.cleaned_data.get("capacity")
            occupied = Placement.objects.filter(unit=unit, status=PlacementStatus.ADMITTED).count()
            if capacity is not None and capacity < occupied:
                form.add_error(
                    "capacity",
                    _("%(unit)s holds %(occupied)d residents now: it cannot have fewer beds.")
                    % {"unit": unit, "occupied": occupied},
                )


class ShelterUnitInline(admin.TabularInline):
    model = ShelterUnit
    formset = ShelterUnitFormSet
    extra = 0
    can_delete = False


@admin.register(Shelter)
class ShelterAdmin(admin.ModelAdmin):
    list_display = ["organisation", "target_group"]
    list_select_related = ["organisation__province"]
    inlines = [ShelterUnitInline]

    def has_delete_permission(self, request, obj=None):
        return False  # the six shelters are reference data; their stays must stay readable

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for unit in formset.new_objects:
            unit.save()
            audit_record(action=AuditEvent.Action.CREATE, actor=request.user, obj=unit)
        for unit, changed in formset.changed_objects:
            others = [field for field in changed if field != "capacity"]
            if others:
                unit.save(update_fields=others)
                audit_record(
                    action=AuditEvent.Action.UPDATE,
                    actor=request.user,
                    obj=unit,
                    changes={"fields": others},
                )
            if "capacity" in changed:
                try:
                    # Under the section's row lock: an admission may be taking a bed now.
                    services.unit_set_capacity(
                        unit_id=unit.pk, actor=request.user, capacity=unit.capacity
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
