from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "livingwell.network"
    label = "network"
