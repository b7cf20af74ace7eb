from django.urls import path

from . import views

app_name = "repatriation"
urlpatterns = [
    path("", views.repatriation_list, name="list"),
    path("export/", views.repatriation_export, name="export"),
    path("new/<int:case_id>/", views.new, name="new"),
    path("<int:repatriation_id>/", views.detail, name="detail"),
    path("<int:repatriation_id>/<slug:move>/", views.act, name="act"),
]
