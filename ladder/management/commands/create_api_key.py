"""``manage.py create_api_key``: make an organization's API key and print it (only the key)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ladder.choices import KeyRole
from ladder.models import ApiKey, Organization


class Command(BaseCommand):
    help = "Create an API key for an organization and print the key once (only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="Organization slug.")
        parser.add_argument("--role", choices=[r.value for r in KeyRole], default=KeyRole.READ)
        parser.add_argument("--name", required=True, help="A name to recognise the key by (50 characters).")
        parser.add_argument("--expires-in-days", type=int, default=None, help="Expire after this many days.")

    def handle(self, *args, **options):
        try:
            organization = Organization.objects.get(slug=options["organization"])
        except Organization.DoesNotExist:
            raise CommandError(f'No organization "{options["organization"]}".') from None
        if len(options["name"]) > 50:
            raise CommandError("The name may have at most 50 characters.")
        expiry = None
        if options["expires_in_days"] is not None:
            if options["expires_in_days"] <= 0:
                raise CommandError("--expires-in-days must be positive.")
            expiry = timezone.now() + timedelta(days=options["expires_in_days"])
        _, key = ApiKey.objects.create_key(
            organization=organization, role=options["role"], name=options["name"], expiry_date=expiry
        )
        self.stdout.write(key)
