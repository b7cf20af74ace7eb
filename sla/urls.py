from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("board/", views.board, name="board"),
]
