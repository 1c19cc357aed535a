from django.apps import AppConfig


class RegradesConfig(AppConfig):
    name = "coursesite.regrades"
    label = "regrades"
    verbose_name = "Regrade requests"

    def ready(self):
        # Registers this app's e-mails with coursesite.audit.notify, for the worker that sends them, and the
        # regrades' points on an autograder score with grades.sources: both sit below and never import this.
        from coursesite.grades.sources import register_adjustment
        from coursesite.regrades import notify  # noqa: F401
        from coursesite.regrades.selectors import whole_submission_regrades

        register_adjustment(whole_submission_regrades)
