from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from audit.models import AuditEvent
from audit.services import audit_record

from .models import Membership, Organisation, Province, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language",)}),
    )
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]

    def get_readonly_fields(self, request, obj=None):
        # A sysadmin manages people and their roles, but cannot make anyone (themselves
        # included) a superuser or hand out model permissions that open victims' records.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            actor=request.user,
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
            request=request,
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save()
        if instances or formset.deleted_objects:
            # A changed role may need a second factor or open other records.
            Token.objects.filter(user=form.instance).delete()
        for membership in instances:
            audit_record(
                action=AuditEvent.Action.UPDATE,
                actor=request.user,
                obj=membership,
                changes={"role": membership.role, "organisation": membership.organisation.code},
                request=request,
            )


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active", "province__region"]
    list_select_related = ["province"]
    search_fields = ["code", "name_th", "name_en"]
    autocomplete_fields = ["province"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    list_select_related = ["user", "organisation__province"]
    search_fields = ["user__username", "organisation__name_th", "organisation__name_en"]
    autocomplete_fields = ["user", "organisation"]
