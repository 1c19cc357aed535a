from django.apps import AppConfig


class GradesConfig(AppConfig):
    name = "coursesite.grades"
    label = "grades"
    verbose_name = "Grades, late policy and extensions"
