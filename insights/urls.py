from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("stages/", views.stage_times, name="stage_times"),
    path("stages/<slug:stage>/cases/", views.stage_cases, name="stage_cases"),
]
