"""``manage.py dev_setup``: a local admin login and a demo API key, for the embedded development setup only.

Refuses to run unless ``DJANGO_DEBUG`` is on and the database is the embedded SQLite default, so it
can never plant a known login in a real deployment. The login and key are kept in
``.dev-credentials`` (ignored by git) so that a second ``make run`` prints the same ones.
"""

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ladder.choices import KeyRole, MemberRole
from ladder.models import ApiKey, Membership, Organization

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".dev-credentials"
DEV_KEY_NAME = "local development"


class Command(BaseCommand):
    help = "Create (or reuse) a local admin login and a write key for the demo organization; print them."

    def add_arguments(self, parser):
        parser.add_argument("--organization", default="demo")
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, **options):
        if not settings.DEBUG or os.environ.get("DATABASE_URL"):
            raise CommandError("dev_setup is only for local development: DJANGO_DEBUG=1 and no DATABASE_URL.")
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f'No organization "{options["organization"]}": load the fixtures first.')
        saved = json.loads(CREDENTIALS_FILE.read_text()) if CREDENTIALS_FILE.exists() else {}

        User = get_user_model()
        username = "admin"
        password = saved.get("password") or secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username, defaults={"email": "admin@localhost"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(organization=org, user=user, defaults={"role": MemberRole.ADMIN})

        key = saved.get("api_key")
        if not key or not self._usable(key):
            ApiKey.objects.filter(organization=org, name=DEV_KEY_NAME).update(revoked=True)
            _, key = ApiKey.objects.create_key(organization=org, role=KeyRole.WRITE, name=DEV_KEY_NAME)
        CREDENTIALS_FILE.write_text(json.dumps({"password": password, "api_key": key}))
        CREDENTIALS_FILE.chmod(0o600)

        url = options["url"]
        self.stdout.write(
            "\n"
            f"  pmladder is starting at {url}\n"
            f"  API docs:   {url}/api/docs/\n"
            f"  Admin:      {url}/admin/   login: {username} / {password}\n"
            f"  Compare:    {url}/compare/?companies=google,meta,amazon   (after logging in to the admin)\n"
            f"  API key ({org.slug}, write):  {key}\n"
            f'  Try:        curl -H "Authorization: Api-Key {key}" {url}/api/v1/companies/\n'
        )

    @staticmethod
    def _usable(key: str) -> bool:
        prefix = key.partition(".")[0]
        found = ApiKey.objects.filter(prefix=prefix, revoked=False).first()
        return bool(found and found.is_valid(key) and not found.has_expired)
