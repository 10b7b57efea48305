from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("step-up/", views.step_up, name="step_up"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
]
