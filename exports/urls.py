from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("<int:job_id>/", views.job, name="job"),
    path("<int:job_id>/download/", views.download, name="download"),
]
