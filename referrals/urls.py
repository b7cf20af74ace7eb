from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("review/", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("all/", views.referral_list, name="list"),
    path("all/export/", views.referral_export, name="export"),
    path("new/<int:case_id>/", views.new, name="new"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/letter/", views.letter, name="letter"),
    path("<int:referral_id>/<slug:action>/", views.act, name="act"),
]
