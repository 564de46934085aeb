"""``manage.py load_fixtures``: load the reference frameworks and (unless told not to) the demo data."""

from django.core.management.base import BaseCommand

from ladder.fixtures_loader import load_demo_fixtures, load_reference_fixtures


class Command(BaseCommand):
    help = "Load fixtures/frameworks/*.json and fixtures/demo.json (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only", action="store_true", help="Load the reference frameworks but not the demo data."
        )

    def handle(self, *args, **options):
        frameworks = load_reference_fixtures()
        self.stdout.write(f"Reference frameworks: {', '.join(f.slug for f in frameworks)}")
        if not options["reference_only"]:
            companies = load_demo_fixtures()
            self.stdout.write(f"Demo companies: {', '.join(c.slug for c in companies)}")
