from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "coursesite.assignments"
    label = "assignments"
    verbose_name = "Assignments and submissions"

    def ready(self):
        from coursesite.assignments import notify  # noqa: F401  (registers the group invitation e-mail)
