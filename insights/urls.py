from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("regional/", views.regional, name="regional"),
    path("stages/", views.stage_times, name="stage_times"),
    path("stages/<slug:stage>/cases/", views.stage_cases, name="stage_cases"),
    path("blockers/", views.blockers, name="blockers"),
    path(
        "blockers/<slug:record>/<int:record_id>/start/",
        views.blocker_start,
        name="blocker_start",
    ),
    path("blockers/<int:blocker_id>/end/", views.blocker_end, name="blocker_end"),
]
