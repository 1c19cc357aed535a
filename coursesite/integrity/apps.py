from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "coursesite.integrity"
    label = "integrity"
    verbose_name = "Academic integrity cases"
