from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("new/", views.endpoint_new, name="new"),
    path("<int:endpoint_id>/", views.endpoint_detail, name="detail"),
    path("<int:endpoint_id>/disable/", views.endpoint_disable, name="disable"),
    path(
        "<int:endpoint_id>/deliveries/<int:delivery_id>/send-again/",
        views.delivery_send_again,
        name="send_again",
    ),
]
