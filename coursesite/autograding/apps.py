from django.apps import AppConfig


class AutogradingConfig(AppConfig):
    name = "coursesite.autograding"
    label = "autograding"
    verbose_name = "Autograding"
