"""Operations and their mass intake. Included by cases/urls.py under "operations/" in the
`cases` namespace, so the names read `cases:operation_list`, `cases:intake_preview`, ..."""

from django.urls import path

from .views import operations

urlpatterns = [
    path("", operations.operation_list, name="operation_list"),
    path("new/", operations.operation_create, name="operation_create"),
    path("<int:operation_id>/", operations.operation_detail, name="operation_detail"),
    path(
        "<int:operation_id>/screenings/start/",
        operations.operation_start_screenings,
        name="operation_start_screenings",
    ),
    path("<int:operation_id>/intake/", operations.intake_upload, name="intake_upload"),
    path(
        "<int:operation_id>/intake/template.csv", operations.intake_template, name="intake_template"
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/",
        operations.intake_preview,
        name="intake_preview",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/confirm/",
        operations.intake_confirm,
        name="intake_confirm",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/retry/",
        operations.intake_retry,
        name="intake_retry",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/cancel/",
        operations.intake_cancel,
        name="intake_cancel",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/progress/",
        operations.intake_progress,
        name="intake_progress",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/progress/status/",
        operations.intake_progress_status,
        name="intake_progress_status",
    ),
]
