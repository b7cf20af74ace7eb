from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record

from .mfa import enrolment_code_issue
from .models import Membership, Organisation, Province, Role, User
from .services import credentials_revoke, password_reset_send
from .state import account_state_forget

# Roles that open every victim's record or the admin itself: given and taken only by the
# operator on the server (manage.py role_grant, with a second person named as approver), never
# in the admin by a sysadmin.
POWERFUL_ROLES = frozenset({Role.CENTRAL_REVIEWER, Role.SYSADMIN})


class MembershipForm(forms.ModelForm):
    """A membership as a sysadmin may set it: never their own, never a powerful role."""

    class Meta:
        model = Membership
        fields = ["organisation", "role", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        actor = self.request.user
        if actor.is_superuser or not self.has_changed():
            return cleaned
        user = self.instance.user if self.instance.user_id else self.parent_user
        if user is not None and user.pk == actor.pk:
            raise ValidationError(_("Nobody changes their own roles: ask another administrator."))
        roles = {cleaned.get("role"), self.initial.get("role") if self.instance.pk else None}
        if roles & POWERFUL_ROLES:
            raise ValidationError(
                _(
                    "The central reviewer and system administrator roles are given and taken "
                    "on the server, with a second person's approval (manage.py role_grant)."
                )
            )
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Formset(formset):
            def get_form_kwargs(self, index):
                return {**super().get_form_kwargs(index), "request": request}

            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                form.parent_user = obj
                return form

        return Formset

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # a role ends by turning it off: it stays on record


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language",)}),
    )
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    actions = ["issue_enrolment_code", "send_password_reset"]

    @admin.action(description=_("E-mail a one-time link to choose a new password"))
    def send_password_reset(self, request, queryset):
        for user in queryset:
            try:
                password_reset_send(user=user, actor=request.user, request=request)
            except ValueError:
                self.message_user(
                    request,
                    _("%(user)s has no e-mail address: no link was sent.") % {"user": user},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("A link was sent to %(user)s.") % {"user": user}, messages.SUCCESS
                )

    @admin.action(description=_("Issue a two-factor enrolment code (one person at a time)"))
    def issue_enrolment_code(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one person."), messages.ERROR)
            return
        user = queryset.get()
        try:
            code = enrolment_code_issue(user=user, actor=request.user)
        except ValueError:
            self.message_user(request, _("Nobody issues their own enrolment code."), messages.ERROR)
            return
        self.message_user(
            request,
            _(
                "Enrolment code for %(user)s: %(code)s. Give it to them in person or by phone; "
                "it is shown only now and works once, for 72 hours."
            )
            % {"user": user.username, "code": code},
            messages.WARNING,
        )

    def get_readonly_fields(self, request, obj=None):
        # A sysadmin manages people and their roles, but cannot make anyone (themselves
        # included) a superuser or hand out model permissions that open victims' records.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return fields

    def user_change_password(self, request, id, form_url=""):
        # Setting someone else's password would let a sysadmin sign in as them.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = sorted(form.changed_data)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            actor=request.user,
            obj=obj,
            changes={"fields": fields},
            request=request,
        )
        if change and ("is_active" in fields or "password" in fields):
            credentials_revoke(obj)  # a deactivated or re-keyed account signs in nowhere

    def save_formset(self, request, form, formset, change):
        changed = {f.instance.pk: f.changed_data for f in formset.forms if f.has_changed()}
        instances = formset.save()
        if instances or formset.deleted_objects:
            # A changed role may need a second factor or open other records.
            credentials_revoke(form.instance)
        for membership in instances:
            audit_record(
                action=AuditEvent.Action.UPDATE,
                actor=request.user,
                obj=membership,
                changes={
                    "role": membership.role,
                    "organisation": membership.organisation.code,
                    "is_active": membership.is_active,
                    "fields": sorted(changed.get(membership.pk, [])),
                },
                request=request,
            )


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_th", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Its offices' members carry it in their cached membership (accounts.state).
        account_state_forget(
            *Membership.objects.filter(organisation__province=obj).values_list("user_id", flat=True)
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "kind", "agency", "province", "is_active"]
    list_filter = ["kind", "agency", "is_active", "province__region"]
    list_select_related = ["province"]
    search_fields = ["code", "name_th", "name_en"]
    autocomplete_fields = ["province"]
    filter_horizontal = ["covered_provinces"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Its members carry it in their cached membership (accounts.state); a deactivated
        # organisation is nobody's working one any more.
        account_state_forget(
            *Membership.objects.filter(organisation=obj).values_list("user_id", flat=True)
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Memberships are edited on their user's page (the same rules and audit)."""

    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    list_select_related = ["user", "organisation__province"]
    search_fields = ["user__username", "organisation__name_th", "organisation__name_en"]
    autocomplete_fields = ["user", "organisation"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    # As on the user's page: a changed role may need a second factor or open other records,
    # so the person signs in afresh (and their cached membership is forgotten).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        credentials_revoke(obj.user)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            actor=request.user,
            obj=obj,
            changes={
                "role": obj.role,
                "organisation": obj.organisation.code,
                "is_active": obj.is_active,
                "fields": sorted(form.changed_data),
            },
            request=request,
        )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        credentials_revoke(obj.user)

    def delete_queryset(self, request, queryset):
        users = {membership.user for membership in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            credentials_revoke(user)
