#!/usr/bin/env bash
# Fuzz the running API with Schemathesis: every check, every phase (stateful included), two tenants.
#
# Builds a throwaway database (PostgreSQL `pmladder_fuzz_<pid>` when the local server answers, else a
# temporary SQLite file; FUZZ_DB=postgres|sqlite forces one), loads the fixtures, makes a write key
# for each of two organizations, serves the app with gunicorn and production settings (DEBUG off),
# and runs Schemathesis against /api/schema/. Exits non-zero on any failure.
#
# Environment: FUZZ_MAX_TIME (seconds of testing, default 150), FUZZ_PORT (default: a free port),
# FUZZ_SEED (a number replays a run; 'random' explores), FUZZ_EXTRA_ARGS (more schemathesis options, e.g.
# --include-path-regex or --report har), FUZZ_DB, PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN="$ROOT/.venv/bin"
MAX_TIME=${FUZZ_MAX_TIME:-150}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PG_DB="pmladder_fuzz_$$"  # one per run, so that two runs on one machine never share a database

if [ ! -x "$BIN/schemathesis" ]; then
  echo "fuzz: $BIN/schemathesis is missing; install the dev extra: $BIN/pip install -e '.[dev]'" >&2
  exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pmladder-fuzz.XXXXXX")
SERVER_PID=""
USE_PG=""

cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$USE_PG" ]; then
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" \
      >/dev/null 2>&1 || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$WORK/server.log" ]; then
    echo "== server log (last 60 lines)"
    tail -n 60 "$WORK/server.log"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Database ---------------------------------------------------------------------------------------
case "${FUZZ_DB:-auto}" in
  postgres) USE_PG=1 ;;
  sqlite) ;;
  auto) pg_isready -h "$PGHOST" -p "$PGPORT" -q 2>/dev/null && USE_PG=1 ;;
  *) echo "fuzz: FUZZ_DB must be postgres, sqlite or auto" >&2; exit 2 ;;
esac
if [ -n "$USE_PG" ]; then
  psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)"
  psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $PG_DB"
  DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$PG_DB"
else
  DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
fi
echo "== fuzz database: $DATABASE_URL"

PORT=${FUZZ_PORT:-$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE_URL="http://127.0.0.1:$PORT"

# Production settings (DEBUG off), reachable over plain HTTP on loopback, and rate limits high enough
# that a 429 never hides what a request would have answered.
export DATABASE_URL
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY
DJANGO_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export THROTTLE_READ=1000000/min THROTTLE_WRITE=1000000/min THROTTLE_BULK=1000000/min
export LOG_LEVEL=WARNING
unset REDIS_URL

"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py load_fixtures >/dev/null

# Two tenants: `demo` (private companies) and `open-data` (one public company), a write key each.
KEY_A=$("$BIN/python" manage.py create_api_key --organization demo --role write --name fuzz-a)
KEY_B=$("$BIN/python" manage.py create_api_key --organization open-data --role write --name fuzz-b)
export FUZZ_AUTH_FILE="$WORK/auth.json"
KEY_A="$KEY_A" KEY_B="$KEY_B" "$BIN/python" - "$FUZZ_AUTH_FILE" <<'PY'
import json, os, sys

users = [("tenant-a", os.environ["KEY_A"]), ("tenant-b", os.environ["KEY_B"])]
auth = [{"name": n, "fixedHeaders": [{"name": "Authorization", "value": f"Api-Key {k}"}]} for n, k in users]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump({"auth": auth}, f)
PY

# Real references of tenant-a (the demo organization) for fuzz/hooks.py: a generated body that names a
# company, a reference level or a level gets one of these in some positive cases, so that the fuzzer
# reaches the code behind the lookup instead of stopping at "not found".
export FUZZ_REFS_FILE="$WORK/refs.json"
"$BIN/python" manage.py shell -c '
import json, sys
from ladder.models import Company, Level, ReferenceLevel
refs = {
    "companies": sorted(Company.objects.filter(organization__slug="demo").values_list("slug", flat=True)),
    "reference_levels": sorted(ReferenceLevel.objects.values_list("slug", flat=True)),
    "levels": sorted(Level.objects.filter(ladder__company__organization__slug="demo").values_list("pk", flat=True)),
}
json.dump(refs, open("'"$FUZZ_REFS_FILE"'", "w"))
'

# --- Server -----------------------------------------------------------------------------------------
# gunicorn reads ./gunicorn.conf.py as in production; the flags bind it to loopback with two workers,
# and let the request line be as long as gunicorn allows (8190 bytes): the longest query the schema
# permits (a 200-character title with its slugs, percent-encoded) needs more than the default 4094.
"$BIN/gunicorn" pmladder_api.wsgi -b "127.0.0.1:$PORT" -w 2 --limit-request-line 8190 --error-logfile - \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "$BASE_URL/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "fuzz: the server did not start" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "$BASE_URL/readyz" >/dev/null

# --- Schemathesis -----------------------------------------------------------------------------------
echo "== schemathesis against $BASE_URL/api/schema/ (checks: all; phases: all; seed ${FUZZ_SEED:-random})"
# A fixed seed makes the run repeatable: the same generated cases in the same order, on one worker,
# with no time budget (a budget repeats phases until it is spent, so what runs would depend on the
# machine's speed). FUZZ_SEED=random, or no seed, explores with a fresh seed and the time budget; the
# seed it drew is printed at the end, and replaying it is `make fuzz SEED=<that seed>`.
RUN_ARGS=(--max-time "$MAX_TIME")
case "${FUZZ_SEED:-random}" in
  random | "") ;;
  *[!0-9]*) echo "fuzz: FUZZ_SEED must be a number or 'random'" >&2; exit 2 ;;
  *) RUN_ARGS=(--seed "$FUZZ_SEED" --workers 1) ;;
esac
started=$(date +%s)
export SCHEMATHESIS_HOOKS="$ROOT/fuzz/hooks.py"
"$BIN/schemathesis" --config-file "$ROOT/fuzz/schemathesis.toml" run "$BASE_URL/api/schema/" \
  --url "$BASE_URL" \
  --checks all --exclude-checks use_after_free \
  --phases examples,coverage,fuzzing,stateful \
  --no-color \
  "${RUN_ARGS[@]}" ${FUZZ_EXTRA_ARGS:-}
echo "== fuzzing passed in $(($(date +%s) - started))s"
