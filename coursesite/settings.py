"""Settings of the course site, all from the environment.

With nothing set, the site runs on the embedded default: SQLite in var/, a file-system
Celery broker (no server), DEBUG on. Production sets DATABASE_URL (PostgreSQL),
CELERY_BROKER_URL (Redis), SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COURSESITE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "coursesite.people",
    "coursesite.courses",
    "coursesite.assignments",
    "coursesite.grades",
    "coursesite.rubrics",
    "coursesite.reports",
    "coursesite.audit",
    "coursesite.autograding",
    "coursesite.regrades",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coursesite.courses.middleware.CourseTimeZoneMiddleware",
]

ROOT_URLCONF = "coursesite.urls"
WSGI_APPLICATION = "coursesite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=0, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the grading worker write the same file: wait for locks, don't fail.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # A file, not memory, so that a grading worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:home"
LOGOUT_REDIRECT_URL = "courses:home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"  # never served directly: downloads go through views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Upload limits (bytes). Django buffers anything above 2.5 MB to a temporary file.
SUBMISSION_PDF_MAX_BYTES = int(os.environ.get("SUBMISSION_PDF_MAX_BYTES", 20 * 1024 * 1024))
SUBMISSION_CODE_FILE_MAX_BYTES = int(os.environ.get("SUBMISSION_CODE_FILE_MAX_BYTES", 1024 * 1024))
SUBMISSION_CODE_TOTAL_MAX_BYTES = int(os.environ.get("SUBMISSION_CODE_TOTAL_MAX_BYTES", 5 * 1024 * 1024))
SUBMISSION_CODE_MAX_FILES = int(os.environ.get("SUBMISSION_CODE_MAX_FILES", 20))
# Above our own limit, so that a student sending too many files gets the form's message, not a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, SUBMISSION_CODE_MAX_FILES + 5)

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG

# E-mail to students (grades released, extensions decided). The embedded default prints them on the console.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "course-staff@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where django.core.mail.backends.filebased.EmailBackend writes (EMAIL_BACKEND=...filebased.EmailBackend).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Celery. The embedded default is kombu's file-system transport: no server, same task code.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "broker" / "queue"
    _processed = VAR_DIR / "broker" / "processed"
    _control = VAR_DIR / "broker" / "control"
    for _folder in (_queue, _processed, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_processed),
        "control_folder": str(_control),
        "store_processed": False,
        # The transport polls its folder, and a worker sleeps this long after each empty check (also while
        # it holds its one unacknowledged message): kombu's default of 1 s kept each upload waiting up to 1 s
        # and left a worker idle up to 1 s after each grading. Every 20 ms costs an idle worker 0.8 % of a
        # core (measured: 0.5 % at 50 ms, 1.1 % at 10 ms), and keeps a burst draining near the ideal.
        "polling_interval": 0.02,
    }
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Far above any task's hard time limit: an unacknowledged message is redelivered after it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
# Tasks sent by the site and by the workers themselves (a notification's fan-out) go to this queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# On a lost broker connection, let a running grading finish (Celery 6 will cancel it by default): its
# result is written by compare-and-set on the job row, whereas a cancelled one would sit RUNNING until
# its lease ran out, the message being gone with the connection (tests/.../test_broker_restart.py).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TIMEZONE = TIME_ZONE
# Order of limits (DESIGN.md): sandbox wall time < task soft limit < hard limit < lease << visibility timeout.
GRADER_LIMITS = {
    "wall_seconds": float(os.environ.get("GRADER_WALL_SECONDS", 20)),
    # Development only: grade without bubblewrap (no isolation at all), when it is not installed.
    "allow_unsandboxed": env_bool("GRADER_ALLOW_UNSANDBOXED", False),
    # One memory limit for all of a run's processes: "auto" (a cgroup under the worker's own where the
    # kernel allows, else each process alone), "off", or a delegated cgroup folder (grader/cgroups.py).
    "cgroup": os.environ.get("GRADER_CGROUP", "auto"),
}
CELERY_TASK_SOFT_TIME_LIMIT = GRADER_LIMITS["wall_seconds"] + 30
CELERY_TASK_TIME_LIMIT = GRADER_LIMITS["wall_seconds"] + 60
AUTOGRADER_LEASE_SECONDS = int(os.environ.get("AUTOGRADER_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 60))
AUTOGRADER_RESEND_SECONDS = int(os.environ.get("AUTOGRADER_RESEND_SECONDS", 60))
AUTOGRADER_MAX_ATTEMPTS = int(os.environ.get("AUTOGRADER_MAX_ATTEMPTS", 3))
# A grading renews its job's heartbeat this often; a running job whose heartbeat is older than the timeout
# belonged to a worker that died, and is taken back long before its lease runs out (the lease stays the hard
# bound of one attempt). Every worker sweeps by itself, from a thread of its main process, every
# AUTOGRADER_SWEEP_SECONDS (0: not at all): no beat, no broker message, so neither a broker outage nor a
# queue full of gradings delays it (coursesite/autograding/liveness.py).
AUTOGRADER_HEARTBEAT_SECONDS = float(os.environ.get("AUTOGRADER_HEARTBEAT_SECONDS", 2))
AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS = float(os.environ.get("AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS", 10))
AUTOGRADER_SWEEP_SECONDS = float(os.environ.get("AUTOGRADER_SWEEP_SECONDS", 3))
# Memory a grading process may take beyond what it holds when it starts (reading and scoring results).
AUTOGRADER_SCORING_MEMORY_BYTES = int(os.environ.get("AUTOGRADER_SCORING_MEMORY_BYTES", 2 << 30))
# A student may upload this many times to one assignment within the window (seconds).
SUBMISSION_RATE_LIMIT = (int(os.environ.get("SUBMISSION_RATE_COUNT", 10)), int(os.environ.get("SUBMISSION_RATE_SECONDS", 600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # pypdf warns about every malformed upload; the student already gets a clear refusal.
    "loggers": {"pypdf": {"level": "ERROR"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
