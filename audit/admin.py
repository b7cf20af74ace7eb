from django.contrib import admin

from .models import AuditEvent
from .services import audit_record


class AuditedModelAdmin(admin.ModelAdmin):
    """Reference data a sysadmin edits in the admin: each save is an audit event naming the
    fields changed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            actor=request.user,
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
            request=request,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["created_at", "username", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
