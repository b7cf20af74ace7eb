"""Operations and their mass intake: the list, a new operation, its page and the start of its
persons' screening, uploading a file, its preview, confirmation and progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from audit.reads import record_list
from core.domain import ActionForbidden, StaleVersion, TransitionNotAllowed
from core.forms import add_service_errors
from core.versions import form_versions, version_checked

from .. import intake, selectors, services
from ..forms_intake import IntakeUploadForm, OperationForm, OperationScreeningsForm
from ..models import IntakeBatch
from ..workflow import IntakeBatchStatus
from ._common import PROVINCIAL


@role_required(*PROVINCIAL)
def operation_list(request):
    operations = selectors.operation_list_for(user=request.user).annotate(
        case_count=Count("cases", distinct=True)
    )
    return render(request, "cases/operation_list.html", {"operations": operations})


@role_required(*PROVINCIAL)
def operation_create(request):
    office = request.user.membership.organisation
    form = OperationForm(request.POST or None, initial={"province": office.province_id})
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("The operation is recorded."))
            return redirect("cases:operation_detail", operation_id=operation.pk)
    return render(request, "cases/operation_form.html", {"form": form})


@role_required(*PROVINCIAL)
def operation_detail(request, operation_id: int):
    operation = selectors.operation_get_for(user=request.user, operation_id=operation_id)
    cases = list(
        selectors.case_list_visible_to(user=request.user)
        .filter(operation=operation)
        .select_related("person")
        .order_by("number")
    )
    record_list(cases, user=request.user, name="operation")
    batches = operation.intake_batches.select_related("uploaded_by").defer("rows", "duplicates")
    return render(
        request,
        "cases/operation_detail.html",
        {
            "operation": operation,
            "cases": cases,
            "batches": batches,
            "clocks": selectors.operation_clocks(user=request.user, operation=operation),
            "screenings_form": OperationScreeningsForm(
                initial={"custody_started_at": operation.custody_started_at}
            ),
        },
    )


@require_POST
@role_required(*PROVINCIAL)
def operation_start_screenings(request, operation_id: int):
    """Start the screening of every person of the operation who has none yet, at once."""
    operation = selectors.operation_get_for(user=request.user, operation_id=operation_id)
    form = OperationScreeningsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("cases:operation_detail", operation_id=operation.pk)
    try:
        started = services.operation_screenings_start(
            operation_id=operation.pk, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ActionForbidden as error:
        raise PermissionDenied(str(error)) from error
    else:
        if started:
            messages.success(
                request,
                ngettext(
                    "Screening started for %(count)d person: the identification clock runs.",
                    "Screening started for %(count)d persons: their identification clocks run.",
                    len(started),
                )
                % {"count": len(started)},
            )
        else:
            messages.info(request, _("Every person of the operation has a screening already."))
    return redirect("cases:operation_detail", operation_id=operation.pk)


@role_required(*PROVINCIAL)
def intake_upload(request, operation_id: int):
    operation = selectors.operation_get_for(user=request.user, operation_id=operation_id)
    form = IntakeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = intake.intake_batch_create(
                actor=request.user, operation=operation, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        except ActionForbidden as error:
            raise PermissionDenied(str(error)) from error
        else:
            return redirect("cases:intake_preview", operation_id=operation.pk, batch_id=batch.pk)
    return render(
        request,
        "cases/intake_upload.html",
        {
            "operation": operation,
            "form": form,
            "columns": intake.COLUMNS,
            "max_rows": intake.MAX_ROWS,
            "max_mb": intake.MAX_FILE_BYTES >> 20,
        },
    )


@role_required(*PROVINCIAL)
def intake_template(request, operation_id: int):
    selectors.operation_get_for(user=request.user, operation_id=operation_id)
    response = HttpResponse(intake.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nrm-intake-template.csv"'
    return response


def _render_preview(request, batch: IntakeBatch, **choices):
    """The checked file, its rows and the registered persons they may be (each showing of the
    file, and of those persons, logged)."""
    return render(
        request,
        "cases/intake_preview.html",
        {
            "operation": batch.operation,
            "batch": batch,
            **intake.intake_preview(user=request.user, batch=batch, **choices),
            "Status": IntakeBatchStatus,
        },
    )


@role_required(*PROVINCIAL)
def intake_preview(request, operation_id: int, batch_id: int):
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    return _render_preview(request, batch)


def _posted_choices(post) -> tuple[dict[int, int], dict[int, int | None]]:
    """The preview's answers: `link-<row>` = a person's id ("" for a new person), and
    `same-<row>` = the earlier row it is the same person as, or "different"."""
    links: dict[int, int] = {}
    same_as: dict[int, int | None] = {}
    for key, value in post.items():
        prefix, _dash, row = key.partition("-")
        if not row.isdigit() or not value:
            continue
        if prefix == "link" and value.isdigit():
            links[int(row)] = int(value)
        elif prefix == "same" and (value.isdigit() or value == "different"):
            same_as[int(row)] = int(value) if value.isdigit() else None
    return links, same_as


@require_POST
@role_required(*PROVINCIAL)
def intake_confirm(request, operation_id: int, batch_id: int):
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    links, same_as = _posted_choices(request.POST)
    try:
        with _as_shown(request, batch):
            intake.intake_confirm(
                batch_id=batch.pk,
                actor=request.user,
                links=links,
                same_as=same_as,
                accept_suggested="accept_suggested" in request.POST,
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        # The page again with the answers given, so that none has to be made twice.
        return _render_preview(request, batch, links=links, same_as=same_as)
    except (TransitionNotAllowed, StaleVersion) as error:
        messages.error(request, str(error))
    except ActionForbidden as error:
        raise PermissionDenied(str(error)) from error
    return redirect("cases:intake_progress", operation_id=operation_id, batch_id=batch.pk)


def _as_shown(request, batch: IntakeBatch):
    """The batch locked and still at the version its page showed (the posted `version`): a
    second person's confirmation, retry or stop since then is not made twice."""
    return version_checked(IntakeBatch, batch.pk, form_versions(request.POST.get("version")))


def _progress_context(batch: IntakeBatch) -> dict:
    return {
        "operation": batch.operation,
        "batch": batch,
        **intake.intake_progress_report(batch),
        "Status": IntakeBatchStatus,
    }


@role_required(*PROVINCIAL)
def intake_progress(request, operation_id: int, batch_id: int):
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    if batch.status == IntakeBatch.Status.VALIDATED:
        return redirect("cases:intake_preview", operation_id=operation_id, batch_id=batch.pk)
    return render(request, "cases/intake_progress.html", _progress_context(batch))


@role_required(*PROVINCIAL)
def intake_progress_status(request, operation_id: int, batch_id: int):
    """The small fragment that the progress page polls (htmx) while the import runs."""
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    return render(request, "cases/intake_progress_status.html", _progress_context(batch))


def _recover(request, operation_id: int, batch_id: int, service, success: str):
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    try:
        with _as_shown(request, batch):
            service(batch_id=batch.pk, actor=request.user)
    except (TransitionNotAllowed, StaleVersion) as error:
        messages.error(request, str(error))
    except ActionForbidden as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, success)
    return redirect("cases:intake_progress", operation_id=operation_id, batch_id=batch.pk)


@require_POST
@role_required(*PROVINCIAL)
def intake_retry(request, operation_id: int, batch_id: int):
    """Ask again for an import whose worker was lost (the progress page offers it)."""
    return _recover(
        request, operation_id, batch_id, intake.intake_retry, _("The import was asked again.")
    )


@require_POST
@role_required(*PROVINCIAL)
def intake_cancel(request, operation_id: int, batch_id: int):
    """Give up an import whose worker was lost: nothing saved, the file may be uploaded again."""
    return _recover(
        request, operation_id, batch_id, intake.intake_cancel, _("The import was stopped.")
    )
