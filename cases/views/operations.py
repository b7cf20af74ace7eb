"""Operations and their mass intake: the list, a new operation, its page, uploading a file,
its preview, confirmation and progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from core.domain import ActionForbidden, TransitionNotAllowed
from core.forms import add_service_errors

from .. import intake, selectors, services
from ..forms_intake import IntakeUploadForm, OperationForm
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
    cases = (
        selectors.case_list_visible_to(user=request.user)
        .filter(operation=operation)
        .order_by("number")
    )
    batches = operation.intake_batches.select_related("uploaded_by").defer("rows", "duplicates")
    return render(
        request,
        "cases/operation_detail.html",
        {"operation": operation, "cases": cases, "batches": batches},
    )


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


def _preview_rows(batch: IntakeBatch, duplicates: dict[int, list[dict]]) -> list[dict]:
    errors: dict[int, list[dict]] = {}
    for error in batch.errors:
        errors.setdefault(error["row"], []).append(error)
    rows = []
    for entry in batch.rows:
        raw, data, number = entry["raw"], entry["data"], entry["row"]
        matches = duplicates.get(number, [])
        rows.append(
            {
                "number": number,
                "names": [raw[n] for n in ("name_th", "name_latin", "name_native") if raw[n]],
                "sex": raw["sex"],
                "born": raw["date_of_birth"],
                "estimated_age": raw["estimated_age"],
                "nationality": raw["nationality"],
                "document": " ".join(
                    p for p in (raw["document_kind"], raw["document_number"]) if p
                ),
                "errors": errors.get(number, []),
                "matches": matches,
                "linkable": [m for m in matches if m["person"] is not None],
                "must_link": any(m["must_link"] for m in matches),
                "linked": data.get("link_person_id")
                or next((m["person_id"] for m in matches if m["must_link"]), None),
                "same_as_row": data.get("same_as_row"),
            }
        )
    return rows


@role_required(*PROVINCIAL)
def intake_preview(request, operation_id: int, batch_id: int):
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    duplicates = intake.intake_duplicates_for(user=request.user, batch=batch)
    rows = _preview_rows(batch, duplicates)
    return render(
        request,
        "cases/intake_preview.html",
        {
            "operation": batch.operation,
            "batch": batch,
            "rows": rows,
            "rows_with_errors": len({error["row"] for error in batch.errors}),
            "flagged": sum(1 for row in rows if row["matches"] or row["same_as_row"]),
            "Status": IntakeBatchStatus,
        },
    )


@require_POST
@role_required(*PROVINCIAL)
def intake_confirm(request, operation_id: int, batch_id: int):
    batch = selectors.intake_batch_get_for(
        user=request.user, operation_id=operation_id, batch_id=batch_id
    )
    links = {}
    for key, value in request.POST.items():
        if key.startswith("link-") and value:
            try:
                links[int(key.removeprefix("link-"))] = int(value)
            except ValueError:
                continue
    try:
        intake.intake_confirm(batch_id=batch.pk, actor=request.user, links=links)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("cases:intake_preview", operation_id=operation_id, batch_id=batch.pk)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    except ActionForbidden as error:
        raise PermissionDenied(str(error)) from error
    return redirect("cases:intake_progress", operation_id=operation_id, batch_id=batch.pk)


def _progress_context(batch: IntakeBatch) -> dict:
    processed = intake.intake_progress(batch)
    return {
        "operation": batch.operation,
        "batch": batch,
        "processed": processed,
        "percent": int(processed * 100 / batch.total) if batch.total else 100,
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
