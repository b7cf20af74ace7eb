"""The pages of an organisation's webhooks: its endpoints, a new one (its secret shown once),
each endpoint's deliveries with a "send again", and disabling an endpoint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import has_role
from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed
from core.forms import add_service_errors
from core.versions import form_versions, version_checked

from . import services
from .events import KINDS
from .forms import EndpointForm
from .models import Delivery, Endpoint
from .permissions import may_manage_webhooks
from .selectors import endpoint_get_visible, endpoints_visible_to, recent_deliveries


def _managers_only(request) -> None:
    if not may_manage_webhooks(request.user):
        raise PermissionDenied


@login_required
def endpoint_list(request):
    _managers_only(request)
    return render(
        request,
        "webhooks/list.html",
        {"endpoints": endpoints_visible_to(user=request.user), "kinds": KINDS},
    )


@never_cache
@login_required
def endpoint_new(request):
    """Register an endpoint; on success the page shows its secret, this once."""
    _managers_only(request)
    choose = has_role(request.user, Role.SYSADMIN)
    form = EndpointForm(request.POST or None, choose_organisation=choose)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = data["organisation"] if choose else request.user.membership.organisation
        try:
            endpoint = services.endpoint_register(
                actor=request.user,
                organisation=organisation,
                url=data["url"],
                event_kinds=data["event_kinds"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            raise PermissionDenied(str(error)) from error
        else:
            return render(request, "webhooks/created.html", {"endpoint": endpoint})
    return render(request, "webhooks/new.html", {"form": form})


@login_required
def endpoint_detail(request, endpoint_id: int):
    _managers_only(request)
    endpoint = endpoint_get_visible(user=request.user, endpoint_id=endpoint_id)
    return render(
        request,
        "webhooks/detail.html",
        {
            "endpoint": endpoint,
            "kinds": [KINDS[kind] for kind in endpoint.event_kinds if kind in KINDS],
            "deliveries": recent_deliveries(endpoint=endpoint),
            "State": Delivery.State,
        },
    )


def _act(request, endpoint_id: int, action, success: str):
    """Run `action(endpoint)` from a button; a button that carries the endpoint's version
    (disable) acts only if nobody changed the endpoint since the page was drawn."""
    _managers_only(request)
    endpoint = endpoint_get_visible(user=request.user, endpoint_id=endpoint_id)
    try:
        with version_checked(Endpoint, endpoint.pk, form_versions(request.POST.get("version"))):
            action(endpoint)
    except (TransitionNotAllowed, ValidationError, StaleVersion) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    except ActionForbidden as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, success)
    return redirect("webhooks:detail", endpoint_id=endpoint.pk)


@require_POST
@login_required
def endpoint_disable(request, endpoint_id: int):
    return _act(
        request,
        endpoint_id,
        lambda endpoint: services.endpoint_disable(endpoint_id=endpoint.pk, actor=request.user),
        _("The endpoint is disabled: it is called no more."),
    )


@require_POST
@login_required
def delivery_send_again(request, endpoint_id: int, delivery_id: int):
    def send_again(endpoint):
        delivery = get_object_or_404(Delivery, pk=delivery_id, endpoint=endpoint)
        services.delivery_send_again(delivery_id=delivery.pk, actor=request.user)

    return _act(request, endpoint_id, send_again, _("The event will be sent again."))
