"""The admin's share of record versions (core/versions.py): a record edited in the admin (the
deadline rules, the retention rules) is refused, not saved over someone else's change made
after its form was drawn."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from .domain import StaleVersion
from .versions import VersionedModelForm, ensure_version, form_versions


class VersionedAdminMixin:
    """A ModelAdmin whose change form carries the record's version (a hidden `version`): sent
    after someone else saved the record, it saves nothing and the change page comes back with
    the conflict message, showing the record as it is now and carrying its version now."""

    form = VersionedModelForm

    def save_form(self, request, form, change):
        # In the transaction of the admin's change view, after its permission checks and the
        # form's validation, before anything is written: the row stays locked until the save.
        if change:
            accepted = form_versions(form.cleaned_data.get("version", ""))
            ensure_version(self.model, form.instance.pk, accepted)
        return super().save_form(request, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersion as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
