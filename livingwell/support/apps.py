from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "livingwell.support"
    label = "support"
