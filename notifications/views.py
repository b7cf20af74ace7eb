from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.actions import perform
from core.versions import version_of

from .forms import PreferenceForm
from .matrix import Topic
from .models import Preference
from .selectors import notification_list_for
from .services import notification_mark_read, preference_set


@login_required
def inbox(request):
    notifications = notification_list_for(user=request.user)[:100]
    preference = Preference.objects.filter(user=request.user).first() or Preference()
    form = PreferenceForm(
        initial={
            "email": preference.email,
            "topics": [t for t in Topic.values if t not in preference.email_off_topics],
            # Before any choice is saved there is no version: the defaults are changed.
            "version": version_of(preference) if preference.pk else "",
        }
    )
    return render(
        request,
        "notifications/inbox.html",
        {"notifications": notifications, "preference_form": form},
    )


@login_required
@require_POST
def mark_all_read(request):
    changed = notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": changed})
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notification(request, notification_id):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(notification_list_for(user=request.user), pk=notification_id)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    safe = url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None)
    return redirect(notification.link if notification.link and safe else "notifications:inbox")


@login_required
@require_POST
def preferences(request):
    """The user's choice, if not changed in another tab or through the API since the inbox
    showed it."""
    perform(
        request,
        PreferenceForm(request.POST),
        lambda data: preference_set(
            user=request.user,
            email=data["email"],
            email_off_topics=[t for t in Topic.values if t not in data["topics"]],
        ),
        _("Your choice is saved."),
        record=Preference.objects.filter(user=request.user).first(),
    )
    return redirect("notifications:inbox")
