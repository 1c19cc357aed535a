from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "coursesite.people"
    label = "people"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from coursesite.people import university  # noqa: F401 (registers the sign-in settings' check)
