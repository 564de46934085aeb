from django.apps import AppConfig


class LadderConfig(AppConfig):
    """Career ladders, the reference scale and title translation."""

    name = "ladder"
    verbose_name = "Career ladders"
    default_auto_field = "django.db.models.BigAutoField"
