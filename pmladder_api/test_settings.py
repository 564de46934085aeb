"""Settings for the test suite: the real settings, with a test-only secret and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret-" + "x" * 40)

from pmladder_api.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# Tests run without collectstatic, so no manifest of hashed file names exists.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Throttling has its own tests (which lower these); the rest of the suite must never hit a limit.
PMLADDER_THROTTLE_RATES = {"read": "100000/min", "write": "100000/min", "bulk": "100000/min"}

# One process: the per-process key and ladder lookups are exact here, and their tests need them on.
PMLADDER_DIRECTORY_CACHE = True

# Tests hand deliveries to an in-memory broker (no worker runs); the delivery tests call the task's
# code directly, and .ci/webhooks.sh runs the real worker with Redis.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
