"""The Celery application: webhook deliveries and the sweeper (``ladder.webhooks.tasks``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmladder_api.settings")

app = Celery("pmladder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["ladder.webhooks"])
