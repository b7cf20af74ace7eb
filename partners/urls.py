from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/documents/<int:document_id>/", views.document, name="document"),
    path("cases/<int:case_id>/plan/", views.task_add, name="task_add"),
    path("tasks/<int:task_id>/", views.task_move, name="task_move"),
]
