from django.apps import AppConfig


class RubricsConfig(AppConfig):
    name = "coursesite.rubrics"
    label = "rubrics"
    verbose_name = "Rubric grading of PDF write-ups"

    def ready(self):
        # The grades ask this app about its scores through grades.sources, never by importing it.
        from coursesite.rubrics.source import RUBRIC
        from coursesite.grades.sources import register

        register(RUBRIC)
