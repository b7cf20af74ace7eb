from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("", views.lesson_list, name="list"),
    path("export/", views.lesson_export, name="export"),
    path("new/", views.lesson_new, name="new"),
    path("<int:lesson_id>/", views.lesson_detail, name="detail"),
    path("<int:lesson_id>/endorse/", views.lesson_endorse, name="endorse"),
    path("<int:lesson_id>/consider/", views.lesson_consider, name="consider"),
    path("<int:lesson_id>/answer/", views.lesson_answer, name="answer"),
    path("<int:lesson_id>/actions/", views.action_add, name="action_add"),
    path("<int:lesson_id>/close/", views.lesson_close, name="close"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
]
