#!/usr/bin/env python
"""Django's command-line utility for pmladder."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmladder_api.settings")
    # On a checkout with the embedded SQLite database and nothing configured, commands run in the
    # development setup (as `make run` does). Anything configured for a real database (DATABASE_URL)
    # or a secret key keeps the production rules: no secret key, no start.
    if not any(os.environ.get(name) for name in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG")):
        os.environ["DJANGO_DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
