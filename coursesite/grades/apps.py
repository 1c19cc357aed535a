from django.apps import AppConfig


class GradesConfig(AppConfig):
    name = "coursesite.grades"
    label = "grades"
    verbose_name = "Grades, late policy and extensions"

    def ready(self):
        # Registers this app's e-mails with coursesite.audit.notify, for the worker that sends them.
        from coursesite.grades import notify  # noqa: F401
