"""The counterpart agencies in the admin, for a sysadmin keeping the reference data (each
change audited). The repatriations themselves are victims' records: not in the admin."""

from django.contrib import admin

from audit.admin import AuditedModelAdmin

from .models import CounterpartAgency


@admin.register(CounterpartAgency)
class CounterpartAgencyAdmin(AuditedModelAdmin):
    list_display = ["code", "country", "name_th", "name_en", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["code", "name_th", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False  # repatriations refer to it: a sysadmin deactivates it instead
