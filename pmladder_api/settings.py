"""Settings for pmladder, read from the environment.

Local defaults are safe to run (an SQLite file beside the code, an in-process cache); production
refuses to start without ``DJANGO_SECRET_KEY``. Every variable is listed in README.md.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (production), or set DJANGO_DEBUG=1 for local development."
        )
    # Development only: never used when DJANGO_DEBUG is off.
    SECRET_KEY = "django-insecure-pmladder-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ladder",
]

MIDDLEWARE = [
    "ladder.middleware.HealthProbeMiddleware",
    "ladder.middleware.ReleaseResponseMiddleware",
    "ladder.middleware.RequestIdMiddleware",
    "ladder.middleware.BodySizeLimitMiddleware",
    "ladder.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ladder.middleware.AuditContextMiddleware",
    "ladder.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ladder.middleware.QueryParameterMiddleware",
]

ROOT_URLCONF = "pmladder_api.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

WSGI_APPLICATION = "pmladder_api.wsgi.application"

# Database: DATABASE_URL, defaulting to an embedded SQLite file beside the code.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
            # writers queue instead of failing half-way with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Webhook deliveries (ladder.webhooks) go through Celery. In production the broker is a Redis of its
# own, configured with maxmemory-policy noeviction: the cache's Redis evicts keys under memory
# pressure (allkeys-lru), which would silently drop queued messages. Without CELERY_BROKER_URL the
# embedded default is kombu's filesystem transport: messages are files under .queue/, no server is
# needed, they survive restarts, and `make run` starts a worker beside the development server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _QUEUE_DIR = Path(env.str("CELERY_QUEUE_DIR", default=str(BASE_DIR / ".queue")))
    (_QUEUE_DIR / "messages").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_QUEUE_DIR / "messages"),
        "data_folder_out": str(_QUEUE_DIR / "messages"),
        "control_folder": str(_QUEUE_DIR / "control"),
        "store_processed": False,
    }
else:
    # A broker that stops answering must not hold a request: fail fast, the sweeper re-queues later.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The sweeper re-queues deliveries overdue by more than WEBHOOKS_SWEEP_GRACE seconds, every
# WEBHOOKS_SWEEP_INTERVAL seconds (beat).
WEBHOOKS_SWEEP_INTERVAL = env.float("WEBHOOKS_SWEEP_INTERVAL", default=30.0)
WEBHOOKS_SWEEP_GRACE = env.float("WEBHOOKS_SWEEP_GRACE", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-webhook-deliveries": {"task": "ladder.webhooks.sweep", "schedule": WEBHOOKS_SWEEP_INTERVAL}
}
# Deliveries to loopback and private addresses are refused (SSRF) unless this is on.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)

# Cache: Redis when REDIS_URL is set (shared by every worker), else a per-process memory cache.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache behind a circuit breaker (ladder/cache.py).
            "BACKEND": "ladder.cache.BreakerRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pmladder",
            "TIMEOUT": 3600,
            # A Redis that stops answering must not hang workers: fail fast and serve from the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pmladder",
            "TIMEOUT": 3600,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve files straight from the apps' static folders when collectstatic has not run (dev, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The cache's circuit breaker: skip Redis for RESET seconds after FAILURES consecutive errors.
PMLADDER_CACHE_BREAKER_FAILURES = env.int("CACHE_BREAKER_FAILURES", default=3)
PMLADDER_CACHE_BREAKER_RESET = env.float("CACHE_BREAKER_RESET", default=10.0)
# API keys and ladder lookups remembered per process (ladder.directory): only when the generation
# that invalidates them is shared by every worker, i.e. with Redis.
PMLADDER_DIRECTORY_CACHE = env.bool("DIRECTORY_CACHE", default=bool(REDIS_URL))

# Engine snapshots each worker keeps in memory (a ladder of 8 levels takes about 25 KB).
PMLADDER_SNAPSHOT_CACHE_BYTES = env.int("SNAPSHOT_CACHE_MB", default=256) * 1024 * 1024
# Ladder documents each worker keeps written out for GET (an 11-level document takes about 20 KB).
PMLADDER_DOCUMENT_CACHE_BYTES = env.int("DOCUMENT_CACHE_MB", default=32) * 1024 * 1024

# Request bodies above this size answer 413 (ladder documents of 1,000 levels fit well inside).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=4 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ladder.api.authentication.OrganizationApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ladder.http.permissions.TenantAccess"],
    "DEFAULT_RENDERER_CLASSES": [
        "ladder.http.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["ladder.http.parsers.SafeJSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "ladder.api.filters.FilterBackend",
        "ladder.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "ladder.api.pagination.StandardPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "ladder.api.throttling.ReadThrottle",
        "ladder.api.throttling.WriteThrottle",
        "ladder.api.throttling.BulkTranslateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "ladder.api.schema.PmladderAutoSchema",
    "EXCEPTION_HANDLER": "ladder.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Requests per API key (or user): reads, writes, and bulk translation (POST /translate).
PMLADDER_THROTTLE_RATES = {
    "read": env.str("THROTTLE_READ", default="1200/min"),
    "write": env.str("THROTTLE_WRITE", default="300/min"),
    "bulk": env.str("THROTTLE_BULK", default="60/min"),
}

# Extra title-vocabulary files (comma-separated paths) that extend fixtures/vocabulary/title-vocabulary.json.
PMLADDER_VOCABULARY_OVERRIDES = env.list("PMLADDER_VOCABULARY_OVERRIDES", default=[])

SPECTACULAR_SETTINGS = {
    "TITLE": "pmladder API",
    "DESCRIPTION": (
        "Career ladders of many companies on one reference scale, and job-title translation between "
        "them. Authenticate with `Authorization: Api-Key <key>`.\n\n"
        "To see ladders side by side, open [the comparison chart](/compare/) (`/compare/?companies=a,b,c`, "
        "for people signed in to the admin; API keys never go in URLs). `GET /api/v1/compare` gives the "
        "same data as JSON. The open catalog of real companies' ladders is public to every organization.\n\n"
        "Each operation takes the query parameters it lists here, and refuses any other with 400 "
        "`unknown_query_parameter` naming it in `errors[].field` (so a typo never passes for a filter). List "
        "resources that hold an `external_id` (companies, levels, aliases) filter by it with `?external_id=`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ladder.api.schema.reference_shared_enums",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TrackEnum": "ladder.choices.Track",
        "AnchorEnum": "ladder.choices.Anchor",
        "SizeBandEnum": "ladder.choices.SizeBand",
        "ResolutionBasisEnum": "ladder.choices.ResolutionBasis",
        "MatchBasisEnum": "ladder.choices.MatchBasis",
        "ObjectTypeEnum": "ladder.models.ChangeRecord.ObjectType",
        "FeedEntryTypeEnum": "ladder.api.changes.ENTRY_TYPE_CHOICES",
        "LadderVersionStatusEnum": "ladder.models.LadderVersion.Status",
        "DeliveryStatusEnum": "ladder.models.WebhookDelivery.Status",
    },
    "TAGS": [
        {"name": "frameworks", "description": "Reference frameworks and their levels (the common scale)."},
        {"name": "companies", "description": "Companies whose ladders are kept."},
        {"name": "ladders", "description": "A company's whole ladder for one framework, as one document."},
        {"name": "levels", "description": "Levels of all readable ladders, for filtering and sync."},
        {"name": "aliases", "description": "Other titles of a level, with validity dates."},
        {"name": "translate", "description": "Title translation between companies, and career paths."},
        {"name": "compare", "description": "Ladders side by side on the reference scale (the /compare/ chart)."},
        {"name": "changes", "description": "The changes feed: what changed since your last sync."},
        {"name": "webhooks", "description": "Signed change events POSTed to your URL."},
    ],
}

# Logs go to stderr: JSON lines in production (one object per line, with the request fields), plain
# text when LOG_FORMAT=text (the default with DJANGO_DEBUG=1).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Requests are logged once by pmladder.request; Django's own 4xx/5xx lines would repeat them.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

if not DEBUG:
    # Production defaults pass `manage.py check --deploy`; TLS is expected to end at the load
    # balancer, which sets X-Forwarded-Proto. Health probes stay reachable over plain HTTP.
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    if env.bool("TRUST_X_FORWARDED_PROTO", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_FAILURE_VIEW = "ladder.api.errors.csrf_failure"
