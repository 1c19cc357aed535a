from django.apps import AppConfig


class AutogradingConfig(AppConfig):
    name = "coursesite.autograding"
    label = "autograding"
    verbose_name = "Autograding"

    def ready(self):
        # The grades ask this app about its scores through grades.sources, never by importing it.
        from coursesite.autograding.source import AUTOGRADER
        from coursesite.grades.sources import register

        register(AUTOGRADER)
