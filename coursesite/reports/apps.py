from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coursesite.reports"
    label = "reports"
    verbose_name = "Printable reports (PDF)"
