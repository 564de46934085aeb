"""``manage.py load_fixtures``: the reference frameworks, then the demo companies and the open catalog.

Safe to run again: it creates what is missing and brings in what the fixture files changed since the
last load, but never reverts an edit made in the admin or through the API. It prints what it did.
"""

from django.core.management.base import BaseCommand

from ladder.fixtures_loader import load_catalog_fixtures, load_demo_fixtures, load_reference_fixtures


class Command(BaseCommand):
    help = (
        "Load fixtures/frameworks/*.json, fixtures/demo.json and fixtures/catalog.json. Creates what is missing, "
        "applies what the files changed since the last load, never reverts people's edits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Load the reference frameworks but neither the demo companies nor the catalog.",
        )
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo companies.")
        parser.add_argument("--no-catalog", action="store_true", help="Skip the open catalog of real companies.")

    def handle(self, *args, **options):
        reports = []
        load_reference_fixtures(reports)
        if not options["reference_only"]:
            if not options["no_demo"]:
                load_demo_fixtures(reports)
            if not options["no_catalog"]:
                load_catalog_fixtures(reports)
        verbose = options["verbosity"] >= 2
        for report in reports:
            lines = report.lines()
            self.stdout.write(lines[0])
            for line in lines[1:]:
                # Edits kept, errors, updates and new companies are always shown; the rest on request.
                detail = line.startswith("  adopted") or (line.startswith("  created") and "/" in line)
                if verbose or not detail:
                    self.stdout.write(line)
