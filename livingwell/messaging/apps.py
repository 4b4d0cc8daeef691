from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "livingwell.messaging"
