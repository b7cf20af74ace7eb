from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("breaches/", views.breach_list, name="breaches"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/<int:breach_id>/", views.breach_detail, name="breach"),
    path("breaches/<int:breach_id>/<slug:move>/", views.breach_act, name="breach_act"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/<slug:step>/", views.request_act, name="request_act"),
    path("retention/", views.retention, name="retention"),
    path("retention/dry-run/", views.retention_dry_run, name="retention_dry_run"),
    path("break-glass/", views.break_glass_list, name="break_glass"),
    path("break-glass/<int:glass_id>/review/", views.break_glass_review, name="break_glass_review"),
    path("processing/", views.processing, name="processing"),
    path("transfers/", views.transfer_list, name="transfers"),
]
