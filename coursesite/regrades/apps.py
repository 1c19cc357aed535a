from django.apps import AppConfig


class RegradesConfig(AppConfig):
    name = "coursesite.regrades"
    label = "regrades"
    verbose_name = "Regrade requests"

    def ready(self):
        # Registers this app's e-mails with coursesite.audit.notify, for the worker that sends them.
        from coursesite.regrades import notify  # noqa: F401
