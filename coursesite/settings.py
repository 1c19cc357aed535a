"""Settings of the course site, all from the environment.

With nothing set, the site runs on the embedded default: SQLite in var/, a file-system
Celery broker (no server), DEBUG on. Production sets DATABASE_URL (PostgreSQL),
CELERY_BROKER_URL (Redis), SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""
import os
from datetime import timedelta
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
    "coursesite.similarity",
    "coursesite.integrity",
    "coursesite.staffwork",
    "coursesite.coursefile",
    "axes",  # login throttling: see the "Web hardening" block below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose check is the first to read a POST body (see the "Web hardening" block).
    "coursesite.bodylimits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coursesite.courses.middleware.CourseTimeZoneMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into the styled login page
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

# --- Media storage for several machines (issue 17) -------------------------------------------------
# Workers on other machines need the submission files, so media may live in an S3-compatible bucket
# (django-storages) instead of MEDIA_ROOT: MEDIA_STORAGE=s3, or just AWS_STORAGE_BUCKET_NAME set.
# The bucket stays private and the site never hands out its URLs: every download streams through a
# view that checks access. Without querystring auth, .url() is an unsigned URL the private bucket
# refuses, so no page (the admin's file links included) can leak a working link.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE") or ("s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "filesystem")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and usually AWS_S3_ENDPOINT_URL)")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            # Unset: boto3's own chain (environment, the machine's role) finds them.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,
            # A download or a grading reads an object into a temporary file: on disk above this size,
            # as uploads are, rather than whole in memory (django-storages' default).
            "max_memory_size": 2621440,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}")
# --- end of media storage ---------------------------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Upload limits (bytes). Django buffers anything above 2.5 MB to a temporary file.
SUBMISSION_PDF_MAX_BYTES = int(os.environ.get("SUBMISSION_PDF_MAX_BYTES", 20 * 1024 * 1024))
SUBMISSION_CODE_FILE_MAX_BYTES = int(os.environ.get("SUBMISSION_CODE_FILE_MAX_BYTES", 1024 * 1024))
SUBMISSION_CODE_TOTAL_MAX_BYTES = int(os.environ.get("SUBMISSION_CODE_TOTAL_MAX_BYTES", 5 * 1024 * 1024))
SUBMISSION_CODE_MAX_FILES = int(os.environ.get("SUBMISSION_CODE_MAX_FILES", 20))
# Above our own limit, so that a student sending too many files gets the form's message, not a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, SUBMISSION_CODE_MAX_FILES + 5)

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG

# --- Production serving (issue 17): static files, HTTPS, Content-Security-Policy --------------------------
# `manage.py check --deploy` holds these (with coursesite/checks.py); README "Running a course in production".
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))
# Only behind a TLS proxy that sets X-Forwarded-Proto on every request and strips the client's own:
# otherwise anyone could claim HTTPS for a plain-HTTP request.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Sent on HTTPS responses only. A year, as `check --deploy` asks; lower it while trying HTTPS out.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The same policy in development and production, so a page that breaks it breaks in the tests first. No
# inline script or style anywhere (static/coursesite/ holds them); frames only from this site (the PDF a
# TA grades beside the rubric); no plugins. django-csp leaves Django's debug 404/500 pages alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
if not DEBUG:
    # gunicorn serves the static files itself (the embedded default leaves them to runserver), with WhiteNoise
    # first after SecurityMiddleware as its docs ask; hashed names from collectstatic let it cache them a year.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
INSTALLED_APPS += ["csp", "coursesite.apps.CoursesiteConfig"]
# --- end of production serving ------------------------------------------------------------------------------

# E-mail to students (grades released, extensions decided). The embedded default prints them on the console.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# How long the link of an invitation e-mail (people.invitations) lets a new member choose a password.
INVITATION_TIMEOUT_DAYS = int(os.environ.get("INVITATION_TIMEOUT_DAYS", 7))
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
# A comparison of an assignment's submissions for code similarity (issue 20) may run this long: 500 HW1
# submissions take about 20 s the first time, 3 s once their fingerprints are stored.
SIMILARITY_TIME_LIMIT_SECONDS = int(os.environ.get("SIMILARITY_TIME_LIMIT_SECONDS", 900))
# The zip of an earlier term's submissions staff add to an assignment's archive: 500 HW1 submissions are
# about 5 MB. Its upload view reads no more than this (coursesite.bodylimits), so it is the whole bound.
SIMILARITY_ARCHIVE_MAX_BYTES = int(os.environ.get("SIMILARITY_ARCHIVE_MAX_BYTES", 50 * 1024 * 1024))
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

# --- Web hardening (issue 17 item 3): login throttling, request body limits ---------------------------
# Sign-in throttling with django-axes: after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is refused for AXES_COOLOFF_TIME; staff unlock it from the roster (people.views) or
# axes' admin pages. Attempts made while locked are not counted, so the page can say how long is left.
AUTHENTICATION_BACKENDS = [
    "coursesite.people.signin.SignInThrottleBackend",
    "coursesite.people.university.PasswordBackend",  # ModelBackend, closed to students if configured so
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coursesite.people.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "coursesite.people.signin.client_ip"
AXES_WHITELIST_CALLABLE = "coursesite.people.signin.not_a_password_signin"  # university sign-ins: not counted
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # a line per sign-in otherwise; lockouts still log
# Behind a reverse proxy, the client's address is the last entry the proxy appends to this header
# (e.g. X-Forwarded-For). Empty (the default): the socket's address; a client-sent header is ignored.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Request bodies: a view that takes no files refuses a body above DATA_UPLOAD_MAX_MEMORY_SIZE (413)
# before anything reads it; a view that takes files (coursesite.bodylimits.takes_files) stops reading
# files past its own limit, so nothing larger than that limit reaches the temporary folder.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_BODY_MAX_BYTES", 2_621_440))
# A PDF check (write-ups, extension documents) that takes more CPU time than this is refused.
PDF_CHECK_CPU_SECONDS = int(os.environ.get("PDF_CHECK_CPU_SECONDS", 2))

# --- University sign-in (issue 18 item 3): OpenID Connect through mozilla-django-oidc -----------------------
# Off unless the client and the provider's endpoints are all set (coursesite/people/university.py). A
# university account signs in the one active, rostered account whose OIDC_MATCH_CLAIM ("email",
# "preferred_username" or "username") equals the claim, ignoring case; accounts are never created.
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "Carnegie Mellon")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
# A provider whose tokens name no signing key ("kid") needs this off; the signature is still checked.
OIDC_VERIFY_KID = env_bool("OIDC_VERIFY_KID", True)
OIDC_MATCH_CLAIM = os.environ.get("OIDC_MATCH_CLAIM", "email")  # checked at start (people.university.check_settings)
OIDC_CREATE_USER = False  # never: the roster says who has an account (the backend refuses as well)
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # a refused university sign-in comes back to the page with the reason
# Off: a person who is a student in every course they are in cannot sign in with a password (the login
# page says to use the university); staff and superusers still can.
LOCAL_PASSWORDS_FOR_STUDENTS = env_bool("LOCAL_PASSWORDS_FOR_STUDENTS", True)
# After the password backends of "Web hardening" (axes' check first), when configured:
if all((OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT)):
    AUTHENTICATION_BACKENDS.append("coursesite.people.university.UniversityBackend")
# --- end of university sign-in -------------------------------------------------------------------------------
