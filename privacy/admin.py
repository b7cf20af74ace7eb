"""The retention rules in the admin, for a sysadmin (each change audited). The breaches,
requests and runs are the data protection officer's records: not in the admin."""

from django.contrib import admin

from audit.admin import AuditedModelAdmin
from core.admin import VersionedAdminMixin

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(VersionedAdminMixin, AuditedModelAdmin):
    list_display = ["kind", "years_after_closure", "updated_at"]

    def has_add_permission(self, request):
        return False  # one rule per kind of record, loaded by migration

    def has_delete_permission(self, request, obj=None):
        return False
