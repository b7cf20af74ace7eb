from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("board/", views.board, name="board"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/<int:change_id>/withdraw/", views.holiday_withdraw, name="holiday_withdraw"),
]
