from django.apps import AppConfig


class CoursefileConfig(AppConfig):
    """The course loader: it writes into every app, so it sits above them all (no models)."""

    name = "coursesite.coursefile"
    label = "coursefile"
    verbose_name = "Course files"
