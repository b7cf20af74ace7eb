from django.urls import path

from . import views

app_name = "shelters"
urlpatterns = [
    path("mine/", views.home, name="home"),
]
