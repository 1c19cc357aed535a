from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "coursesite.integrity"
    label = "integrity"
    verbose_name = "Academic integrity cases"

    def ready(self):
        # Registers this app's e-mail with coursesite.audit.notify, for the worker that sends it.
        from coursesite.integrity import notify  # noqa: F401
