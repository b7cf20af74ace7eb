"""The retention rules in the admin, for a sysadmin (each change audited). The breaches,
requests and runs are the data protection officer's records: not in the admin."""

from django.contrib import admin

from audit.models import AuditEvent
from audit.services import audit_record

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "years_after_closure", "updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            actor=request.user,
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
            request=request,
        )

    def has_add_permission(self, request):
        return False  # one rule per kind of record, loaded by migration

    def has_delete_permission(self, request, obj=None):
        return False
