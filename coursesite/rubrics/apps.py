from django.apps import AppConfig


class RubricsConfig(AppConfig):
    name = "coursesite.rubrics"
    label = "rubrics"
    verbose_name = "Rubric grading of PDF write-ups"
