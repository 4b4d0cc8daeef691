from django.urls import path

from livingwell.accounts import invitations, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.account, name="account"),
    path("account/about-me-as-a-worker/", views.worker_profile, name="worker_profile"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_set_up, name="two_factor_set_up"),
    path("account/two-factor/turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path("set-password/<uidb64>/<token>/", invitations.set_password, name="set_password"),
]
