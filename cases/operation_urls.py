"""Operations and their mass intake. Included by cases/urls.py under "operations/" in the
`cases` namespace, so the names read `cases:operation_list`, `cases:intake_preview`, ..."""

from django.urls import path

from . import operation_views as views

urlpatterns = [
    path("", views.operation_list, name="operation_list"),
    path("new/", views.operation_create, name="operation_create"),
    path("<int:operation_id>/", views.operation_detail, name="operation_detail"),
    path("<int:operation_id>/intake/", views.intake_upload, name="intake_upload"),
    path("<int:operation_id>/intake/template.csv", views.intake_template, name="intake_template"),
    path("<int:operation_id>/intake/<int:batch_id>/", views.intake_preview, name="intake_preview"),
    path(
        "<int:operation_id>/intake/<int:batch_id>/confirm/",
        views.intake_confirm,
        name="intake_confirm",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/progress/",
        views.intake_progress,
        name="intake_progress",
    ),
    path(
        "<int:operation_id>/intake/<int:batch_id>/progress/status/",
        views.intake_progress_status,
        name="intake_progress_status",
    ),
]
