"""The Celery app of the course site; its settings are the CELERY_* names in settings.py."""
import os

from celery import Celery

from coursesite.autograding.broker import use_whole_message_transport
from coursesite.autograding.liveness import SweepStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings")
use_whole_message_transport()

app = Celery("coursesite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["worker"].add(SweepStep)   # every worker sweeps grading jobs by itself, without beat
