from django.contrib import admin

from core.admin import VersionedAdminMixin

from .models import ClockPolicy
from .services import clock_policy_update

# HolidayChange is not here: a sysadmin changes the holidays on their own page (sla:holidays),
# whose service checks the day and writes the audit log.


@admin.register(ClockPolicy)
class ClockPolicyAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = [
        "clock",
        "due_after",
        "due_unit",
        "remind_before",
        "remind_unit",
        "escalate_first",
        "escalate_second",
        "updated_at",
    ]

    def save_model(self, request, obj, form, change):
        # Through the service: the law's limits (also checked by the form) and the audit log.
        clock_policy_update(policy=obj, actor=request.user, changed=form.changed_data)

    def has_add_permission(self, request):
        return False  # the clocks are fixed by the workflows; only their timing is editable

    def has_delete_permission(self, request, obj=None):
        return False
