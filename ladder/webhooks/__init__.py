"""Signed webhooks (DESIGN §5): an outbox written with each change, delivered by a Celery worker."""
