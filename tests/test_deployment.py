"""The deployment files: docker-compose.yml, Dockerfile, .env.example and gunicorn.conf.py.

Docker cannot run in CI, so these tests check the files' structure instead: the start order of the
compose services, that no secret has a committed default, that every variable the code reads is
documented in .env.example, and that gunicorn's configuration loads and is valid for gunicorn.
(.ci/start_sequence.sh runs the same start sequence for real, without Docker.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.gunicorn_conf import OS_ENVIRON, gunicorn_variables, load_gunicorn_conf

ROOT = Path(__file__).resolve().parent.parent


COMPOSE = ROOT / "docker-compose.yml"


DOCKERFILE = ROOT / "Dockerfile"


ENV_EXAMPLE = ROOT / ".env.example"


SETTINGS = ROOT / "pmladder_api" / "settings.py"


# env("X"), env.str("X"), env.bool("X"), env.db("X"), ... as django-environ is called in settings.py,
# and os.environ.get("X") / os.environ["X"] / os.getenv("X") anywhere.
ENVIRON_CALL = re.compile(r"""\benv(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")


COMPOSE_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


VARIABLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def documented_variables() -> set[str]:
    """Names in .env.example, set (NAME=) or shown commented out with their default (# NAME=)."""
    return {m.group(1) for line in ENV_EXAMPLE.read_text().splitlines() if (m := VARIABLE_LINE.match(line))}


def settings_variables() -> set[str]:
    text = SETTINGS.read_text()
    return set(ENVIRON_CALL.findall(text)) | set(OS_ENVIRON.findall(text))


def seconds(value: str | int) -> float:
    match = re.fullmatch(r"(\d+)(ms|s|m)?", str(value))
    assert match, f"not a duration: {value!r}"
    number, unit = int(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1, "m": 60}[unit]


# --- docker-compose.yml ---------------------------------------------------------------------------


def test_compose_has_the_services(services):
    assert set(services) == {"db", "redis", "broker", "migrate", "web", "worker", "beat"}


def test_the_queue_has_a_redis_of_its_own_that_never_evicts(services):
    cache, broker = " ".join(services["redis"]["command"]), " ".join(services["broker"]["command"])
    assert "allkeys-lru" in cache
    assert "--maxmemory-policy noeviction" in broker and "--appendonly yes" in broker
    env = services["worker"]["environment"]
    assert env["CELERY_BROKER_URL"].startswith("redis://broker:")
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert services["worker"]["command"][:4] == ["celery", "-A", "pmladder_api", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "pmladder_api", "beat"]


def test_db_is_postgres_15_with_a_healthcheck_and_a_named_volume(compose, services):
    db = services["db"]
    assert db["image"].startswith("postgres:15")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volumes = {v.split(":")[0]: v.split(":")[1] for v in db["volumes"]}
    named = [name for name, target in volumes.items() if target == "/var/lib/postgresql/data"]
    assert named, "the database directory must be on a volume"
    assert not named[0].startswith((".", "/")), "a named volume, not a bind mount"
    assert named[0] in compose["volumes"]


def test_redis_has_a_healthcheck(services):
    redis = services["redis"]
    assert redis["image"].startswith("redis:")
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


def test_web_starts_after_healthy_db_and_redis_and_finished_migrations(services):
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "broker": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_migrate_is_a_one_shot_job_that_migrates_and_loads_the_reference_framework(services):
    migrate = services["migrate"]
    command = " ".join(migrate["command"]) if isinstance(migrate["command"], list) else migrate["command"]
    assert re.search(r"manage\.py migrate\b", command)
    assert re.search(r"manage\.py load_fixtures --reference-only\b", command)
    assert command.index("migrate") < command.index("load_fixtures")
    assert "&&" in command, "the fixture must not load when migrations fail"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert migrate.get("restart", "no") == "no"
    assert migrate["image"] == services["web"]["image"]


def test_web_runs_gunicorn_with_the_committed_config_and_a_readiness_healthcheck(services):
    web = services["web"]
    assert web["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert web["command"][-1].startswith("pmladder_api.wsgi")
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    assert any(str(p).endswith(":8000") for p in web["ports"])


def test_web_and_migrate_get_database_redis_and_a_required_secret(services):
    for name in ("web", "migrate"):
        env = services[name]["environment"]
        assert re.fullmatch(r"postgres://[^@]+@db:5432/\S+", env["DATABASE_URL"]), env["DATABASE_URL"]
        assert re.fullmatch(r"redis://redis:6379/\d+", env["REDIS_URL"])
        # ${VAR:?message}: compose refuses to start without it; there is no default to leak.
        assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]*\}", env["DJANGO_SECRET_KEY"])
        assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
        assert env["DJANGO_DEBUG"] == "0"


def test_no_secret_has_a_default_in_compose():
    text = COMPOSE.read_text()
    assert not re.search(r"\$\{(DJANGO_SECRET_KEY|POSTGRES_PASSWORD):?-", text)
    assert re.findall(r"\$\{POSTGRES_PASSWORD:\?", text)


def test_compose_stop_grace_period_outlasts_gunicorn_graceful_shutdown(services, monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    assert seconds(services["web"]["stop_grace_period"]) > conf["graceful_timeout"]


def test_every_compose_variable_is_documented():
    missing = set(COMPOSE_VARIABLE.findall(COMPOSE.read_text())) - documented_variables()
    assert not missing, f"add to .env.example: {sorted(missing)}"


# --- .env.example ---------------------------------------------------------------------------------


def test_settings_variables_are_found():
    # Guards the regex: if settings.py changed how it reads the environment, fail here, not silently.
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= settings_variables()


def test_every_settings_variable_is_documented():
    missing = settings_variables() - documented_variables()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_gunicorn_variable_is_documented():
    found = gunicorn_variables()
    assert {"WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT"} <= found
    missing = found - documented_variables()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_env_example_commits_no_secret_and_comments_every_variable():
    lines = ENV_EXAMPLE.read_text().splitlines()
    assert "DJANGO_SECRET_KEY=" in lines
    assert "POSTGRES_PASSWORD=" in lines
    for i, line in enumerate(lines):
        if VARIABLE_LINE.match(line):
            above = lines[:i]
            # The nearest line above that is not another variable is a comment explaining it.
            explanation = next((prev for prev in reversed(above) if not VARIABLE_LINE.match(prev)), "")
            assert explanation.startswith("# ") and not explanation.startswith("# ---"), f"no comment explains {line!r}"


# --- Dockerfile -----------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def test_dockerfile_uses_a_slim_python_base():
    assert dockerfile_instructions()[0] == ("FROM", "python:3.11-slim")


def test_dockerfile_runs_as_a_non_root_user():
    users = [rest for keyword, rest in dockerfile_instructions() if keyword == "USER"]
    assert users, "no USER instruction: the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_installs_dependencies_before_copying_the_code():
    steps = dockerfile_instructions()
    copies = [(i, rest) for i, (keyword, rest) in enumerate(steps) if keyword == "COPY"]
    pyproject = next(i for i, rest in copies if rest.split()[0] == "pyproject.toml")
    code = next(i for i, rest in copies if rest.split()[0] == ".")
    install = next(i for i, (keyword, rest) in enumerate(steps) if keyword == "RUN" and "pip install" in rest)
    assert pyproject < install < code


def test_dockerfile_collects_static_files_without_baking_in_a_secret():
    steps = dockerfile_instructions()
    assert any(keyword == "RUN" and "collectstatic --noinput" in rest for keyword, rest in steps)
    env_lines = " ".join(rest for keyword, rest in steps if keyword == "ENV")
    assert "DJANGO_SECRET_KEY" not in env_lines, "a secret in ENV would be in every container"


def test_dockerfile_serves_gunicorn_on_8000_with_a_healthcheck():
    steps = dict(dockerfile_instructions())
    assert steps["EXPOSE"] == "8000"
    assert "/healthz" in steps["HEALTHCHECK"]
    assert steps["CMD"] == '["gunicorn", "-c", "gunicorn.conf.py", "pmladder_api.wsgi"]'


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "db.sqlite3", "staticfiles"} <= ignored


def test_production_settings_pass_the_deploy_check():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pmladder_api.settings",
        DJANGO_SECRET_KEY="a-production-secret-" + "k7Qp2xVz9LmN4rT8wYb3" * 3,
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="ladders.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    missing_secret = {k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"}
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=missing_secret,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr
