# pmladder: `make run` serves the API locally, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded development setup: DEBUG on, SQLite beside the code (unless DATABASE_URL is set).
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install run serve test lint migrations-check schema schema-check pytest test-browser fuzz client-check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_fixtures
	@$(DEV_ENV) $(BIN)/python manage.py dev_setup --url http://$(HOST):$(PORT) || true
	@# The webhook worker (with its sweeper) runs beside the server on the embedded filesystem queue.
	$(DEV_ENV) WEBHOOKS_ALLOW_PRIVATE=1 $(BIN)/celery -A pmladder_api worker -B --pool=solo --loglevel=WARNING \
		--schedule=$(VENV)/celerybeat-schedule & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEV_ENV) WEBHOOKS_ALLOW_PRIVATE=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-style serving: gunicorn (gunicorn.conf.py) against DATABASE_URL / REDIS_URL.
serve: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn -c gunicorn.conf.py pmladder_api.wsgi

test: install lint migrations-check schema-check pytest

# ruff, then the import contracts of pyproject.toml ([tool.importlinter]): the engine is pure Python, without cycles.
lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

migrations-check:
	DJANGO_SETTINGS_MODULE=pmladder_api.test_settings $(BIN)/python manage.py makemigrations --check --dry-run

# The committed openapi.yaml must match the code, and the schema must validate without warnings.
schema-check:
	DJANGO_SETTINGS_MODULE=pmladder_api.test_settings $(BIN)/python manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.generated.yaml
	diff -u openapi.yaml $(VENV)/openapi.generated.yaml || (echo "openapi.yaml is out of date: run 'make schema' and commit it" && exit 1)

schema: install
	DJANGO_SETTINGS_MODULE=pmladder_api.test_settings $(BIN)/python manage.py spectacular --validate --fail-on-warn --file openapi.yaml

pytest:
	$(BIN)/python -m pytest; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected"; exit 1; fi; exit $$status

# Only the real-browser tests (Playwright driving /usr/bin/chromium; screenshots in .artifacts/screenshots).
test-browser: install
	$(BIN)/python -m pytest tests/browser -rs

# Fuzz the running server with schemathesis: two tenants, all checks, all phases (about 3 minutes).
# SEED=<number> replays a run (CI passes a fixed one); SEED=random (the default here) explores.
SEED ?= random
fuzz: install
	FUZZ_SEED=$(SEED) fuzz/run.sh

# Generate a Python client from openapi.yaml and drive the running service with it (about 20 s).
client-check: install
	.ci/client_check.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .import_linter_cache .hypothesis .dev-credentials .artifacts .queue
