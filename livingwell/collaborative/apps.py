from django.apps import AppConfig


class CollaborativeConfig(AppConfig):
    name = "livingwell.collaborative"
    label = "collaborative"
    verbose_name = "The Collaborative"
