"""The course site: a Django project whose apps follow what the course does."""

# Celery's Django recipe: the app is loaded whenever Django starts, so @shared_task uses it.
from .celery import app as celery_app

__all__ = ("celery_app",)
