from django.apps import AppConfig


class CoursesiteConfig(AppConfig):
    """The project itself as an app, for the checks that concern the whole site (coursesite/checks.py)."""

    name = "coursesite"
    verbose_name = "Course site"

    def ready(self) -> None:
        from coursesite import checks  # noqa: F401 (registers the checks)
