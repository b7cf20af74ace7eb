from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.outcome_list, name="list"),
    path("export/", views.outcome_export, name="export"),
    path("cases/<int:case_id>/follow-up/", views.follow_up, name="follow_up"),
    path("cases/<int:case_id>/close/", views.close, name="close"),
]
