from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "coursesite.audit"
    label = "audit"
    verbose_name = "History of grade changes"

    def ready(self):
        # Registers the invitation e-mail with coursesite.audit.notify, for the worker that sends it.
        from coursesite.audit import invitations  # noqa: F401
