from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "livingwell.core"
    label = "core"
