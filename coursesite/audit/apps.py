from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "coursesite.audit"
    label = "audit"
    verbose_name = "History of grade changes"
