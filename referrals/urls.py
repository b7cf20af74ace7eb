from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("review/", views.home, name="home"),
]
