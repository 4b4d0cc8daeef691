from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "livingwell.community"
    label = "community"
    verbose_name = "Community offers"
