from django.apps import AppConfig


class RegradesConfig(AppConfig):
    name = "coursesite.regrades"
    label = "regrades"
    verbose_name = "Regrade requests"
