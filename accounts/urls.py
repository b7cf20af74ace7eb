from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="switch_language"),
    path("admin-home/", views.sysadmin_home, name="sysadmin_home"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("sign-in/", views.sign_in_devices, name="devices"),
    path("sign-in/tokens/<str:token_key>/revoke/", views.token_revoke, name="token_revoke"),
    path("sign-in/everywhere/end/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
