from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "coursesite.assignments"
    label = "assignments"
    verbose_name = "Assignments and submissions"
