"""The counterpart agencies in the admin, for a sysadmin keeping the reference data (each
change audited). The repatriations themselves are victims' records: not in the admin."""

from django.contrib import admin

from audit.models import AuditEvent
from audit.services import audit_record

from .models import CounterpartAgency


@admin.register(CounterpartAgency)
class CounterpartAgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "country", "name_th", "name_en", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["code", "name_th", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            actor=request.user,
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
            request=request,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # repatriations refer to it: a sysadmin deactivates it instead
