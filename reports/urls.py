from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("annual/", views.annual, name="annual"),
    path("annual/export/", views.annual_export, name="annual_export"),
    path("anonymised/", views.anonymised_export, name="anonymised_export"),
    path("htcds/", views.htcds_export, name="htcds_export"),
    path("htcds/anonymised/", views.htcds_anonymised_export, name="htcds_anonymised_export"),
]
