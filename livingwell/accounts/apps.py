from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "livingwell.accounts"
    label = "accounts"
