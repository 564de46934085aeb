#!/usr/bin/env bash
# The production start sequence of docker-compose.yml, run without Docker on the local PostgreSQL
# and Redis: migrate, load the reference framework, collectstatic, gunicorn with DJANGO_DEBUG=0,
# then readiness, docs and static files, a translation, cache coherence between two gunicorn
# processes, a graceful shutdown with a request in flight, and JSON log lines.
#
#   .ci/start_sequence.sh       # needs PostgreSQL at 127.0.0.1:5432 (user postgres) and redis-server
#
# Every step fails loudly: a message naming the step, the server logs, and a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
DB=pmladder_start
export PGOPTIONS="-c client_min_messages=warning"
PG=(psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
REDIS_DB=${START_SEQUENCE_REDIS_DB:-1}
WORK=$(mktemp -d)
PIDS=()
STEP="setup"
SECONDS=0

step() { STEP=$1; echo "== [${SECONDS}s] $1"; }

cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    echo "FAILED at step: $STEP" >&2
    for log in "$WORK"/*.log; do
      [ -f "$log" ] || continue
      echo "--- $(basename "$log") (last 40 lines)" >&2
      tail -n 40 "$log" >&2
    done
  fi
  "${PG[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# json FILE EXPR: evaluate a Python expression over the parsed JSON document `d`, print the result.
json() { "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

start_gunicorn() {  # start_gunicorn NAME PORT WORKERS -> the master's pid in STARTED (a child of this shell)
  GUNICORN_BIND="127.0.0.1:$2" WEB_CONCURRENCY=$3 "$GUNICORN" -c gunicorn.conf.py pmladder_api.wsgi \
    >"$WORK/$1.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

wait_ready() {  # wait_ready PID PORT
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || fail "gunicorn (pid $1) exited during start-up"
    code=$(curl -s -o "$WORK/readyz.json" -w '%{http_code}' "http://127.0.0.1:$2/readyz" || true)
    if [ "$code" = 200 ]; then
      [ "$(json "$WORK/readyz.json" 'd["status"]')" = ok ] || fail "/readyz answered 200 without status ok"
      return 0
    fi
    sleep 0.2
  done
  fail "/readyz on port $2 did not answer 200 within 20 s (last: $code)"
}

get() {  # get URL OUTFILE [KEY] -> fails unless 200
  local code
  code=$(curl -s -o "$2" -w '%{http_code}' ${3:+-H "Authorization: Api-Key $3"} "$1") || fail "GET $1: no answer"
  [ "$code" = 200 ] || fail "GET $1 answered $code: $(head -c 400 "$2")"
}

translate_code() {  # translate_code PORT KEY SOURCE TARGET TITLE -> the target level's code
  local out="$WORK/translate.json"
  get "http://127.0.0.1:$1/api/v1/translate?source=$3&target=$4&title=$5" "$out" "$2"
  json "$out" 'd["results"][0]["target_level"]["code"] if d["results"][0]["target_level"] else None'
}

step "prerequisites"
[ -x "$PY" ] && [ -x "$GUNICORN" ] || fail ".venv with gunicorn is missing: run make install"
command -v curl >/dev/null || fail "curl is needed"
"${PG[@]}" -c "SELECT 1" >/dev/null || fail "cannot connect to PostgreSQL at 127.0.0.1:5432 as postgres"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis does not answer; starting redis-server"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || fail "redis-server did not start"
fi

step "fresh database $DB"
"${PG[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
"${PG[@]}" -c "CREATE DATABASE $DB" >/dev/null
# The database is new, so ids and ladder versions start again at 1: drop pmladder's cache entries
# from an earlier run in this Redis database (and nothing else in it).
redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" --scan --pattern 'pmladder:*' \
  | xargs -r redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" del >/dev/null

# Production-like settings: what docker-compose.yml gives the migrate and web containers.
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY DJANGO_DEBUG=0 DJANGO_SETTINGS_MODULE=pmladder_api.settings
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 CONN_MAX_AGE=60 LOG_LEVEL=INFO
unset PORT GUNICORN_BIND WEB_CONCURRENCY GUNICORN_THREADS GUNICORN_ACCESSLOG

step "migrate (the one-shot migrate service)"
"$PY" manage.py migrate --noinput >"$WORK/migrate.log" 2>&1 || fail "migrate failed"
"$PY" manage.py load_fixtures --reference-only >>"$WORK/migrate.log" 2>&1 || fail "load_fixtures --reference-only failed"

step "collectstatic (the image build step)"
"$PY" manage.py collectstatic --noinput --verbosity 0 || fail "collectstatic failed"

step "gunicorn 1 (gunicorn.conf.py, 2 workers) and /readyz"
PORT1=$(free_port)
start_gunicorn web1 "$PORT1" 2
PID1=$STARTED
wait_ready "$PID1" "$PORT1"
BASE1="http://127.0.0.1:$PORT1"
get "$BASE1/healthz" "$WORK/healthz.json"

step "API docs and their static files through whitenoise"
get "$BASE1/api/docs/" "$WORK/docs.html"
ASSET=$(grep -o '/static/[^"'\'' ]*\.js' "$WORK/docs.html" | head -n 1 || true)
[ -n "$ASSET" ] || fail "no /static/...js script in /api/docs/"
get "$BASE1$ASSET" "$WORK/asset.js"
[ -s "$WORK/asset.js" ] || fail "$ASSET is empty"
get "$BASE1/api/redoc/" "$WORK/redoc.html"
ADMIN_CSS=$(
  curl -s "$BASE1/admin/login/" | grep -o '/static/admin/css/[^"]*\.css' | head -n 1 || true
)
[ -n "$ADMIN_CSS" ] || fail "no admin stylesheet on /admin/login/"
get "$BASE1$ADMIN_CSS" "$WORK/admin.css"

step "demo data and API keys"
"$PY" manage.py load_fixtures >>"$WORK/migrate.log" 2>&1 || fail "load_fixtures (demo) failed"
READ_KEY=$("$PY" manage.py create_api_key --organization demo --role read --name ci-read | tail -n 1)
WRITE_KEY=$("$PY" manage.py create_api_key --organization demo --role write --name ci-write | tail -n 1)
[ -n "$READ_KEY" ] && [ -n "$WRITE_KEY" ] || fail "create_api_key printed no key"

step "translate globex -> parallax 'Sr. PM'"
code=$(translate_code "$PORT1" "$READ_KEY" globex parallax 'Sr.%20PM')
[ "$code" = L5 ] || fail "Sr. PM at globex should land on parallax L5, got $code"

step "gunicorn 2 (1 worker) on the same PostgreSQL and Redis"
PORT2=$(free_port)
start_gunicorn web2 "$PORT2" 1
PID2=$STARTED
wait_ready "$PID2" "$PORT2"

step "cache coherence: a ladder changed through gunicorn 1 is seen by gunicorn 2"
# Both processes have globex's current ladder cached (in-process and in Redis) before the change.
for port in "$PORT1" "$PORT2" "$PORT2"; do
  code=$(translate_code "$port" "$READ_KEY" parallax globex 'Senior%20Product%20Manager')
  [ "$code" = IC6 ] || fail "before the change: expected globex IC6 through port $port, got $code"
done
LADDER=api/v1/companies/globex/ladders/product-management/
get "$BASE1/$LADDER" "$WORK/ladder.json" "$WRITE_KEY"
VERSION_BEFORE=$(json "$WORK/ladder.json" 'd["version"]')
"$PY" - "$WORK/ladder.json" "$WORK/ladder-put.json" <<'PY'
import json
import sys

doc = json.load(open(sys.argv[1]))
changed = [level for level in doc["levels"] if level["code"] == "IC6"]
assert len(changed) == 1, "globex has no level IC6"
changed[0]["code"] = "IC60"
json.dump({"levels": doc["levels"]}, open(sys.argv[2], "w"))
PY
code=$(curl -s -o "$WORK/put.json" -w '%{http_code}' -X PUT -H "Authorization: Api-Key $WRITE_KEY" \
  -H 'Content-Type: application/json' --data-binary "@$WORK/ladder-put.json" "$BASE1/$LADDER")
[ "$code" = 200 ] || fail "PUT of the ladder document answered $code: $(head -c 400 "$WORK/put.json")"
VERSION_AFTER=$(json "$WORK/put.json" 'd["version"]')
[ "$VERSION_AFTER" -gt "$VERSION_BEFORE" ] || fail "ladder version did not grow ($VERSION_BEFORE -> $VERSION_AFTER)"
for port in "$PORT2" "$PORT1"; do
  code=$(translate_code "$port" "$READ_KEY" parallax globex 'Senior%20Product%20Manager')
  [ "$code" = IC60 ] || fail "after the change: gunicorn on port $port still answers $code (stale cache)"
done

step "graceful shutdown of gunicorn 1 with a bulk translation in flight"
# 10,000 distinct messy titles (fuzzy matching makes this one of the slowest requests there are).
"$PY" - "$WORK/bulk.json" <<'PY'
import json
import sys

from bench.prepare import messy_titles

base = ["Associate Product Manager", "Product Manager (IC4)", "Product Manager (IC5)", "Senior Product Manager",
        "Sr. PM", "Group Product Manager", "GPM", "Principal PM", "Director of Product", "Senior Director of Product",
        "VP of Product", "SVP Product", "Chief Product Officer"]
body = {"source": "globex", "target": "parallax", "titles": messy_titles(base, 10_000, seed=3)}
json.dump(body, open(sys.argv[1], "w"))
PY
# (A write key: POST /translate needs one today, although it changes nothing.)
curl -s -o "$WORK/bulk-out.json" -w '%{http_code} %{time_total}' -X POST -H "Authorization: Api-Key $WRITE_KEY" \
  -H 'Content-Type: application/json' --data-binary "@$WORK/bulk.json" "$BASE1/api/v1/translate" \
  >"$WORK/bulk-status" &
CURL_PID=$!
started=$(date +%s.%N)
sleep 0.15  # long enough for a worker to accept the connection, far shorter than the request
kill -TERM "$PID1"
term_after=$("$PY" -c "import sys; print(round($(date +%s.%N) - $started, 3))")
GRACE=$("$PY" -c 'import runpy; print(runpy.run_path("gunicorn.conf.py")["graceful_timeout"])')
stopped=""
for _ in $(seq 1 $(((GRACE + 5) * 10))); do
  if ! kill -0 "$PID1" 2>/dev/null; then stopped=1; break; fi
  sleep 0.1
done
[ -n "$stopped" ] || fail "gunicorn 1 did not stop within its graceful timeout (${GRACE}s) after SIGTERM"
set +e
wait "$PID1"
EXIT1=$?
wait "$CURL_PID"
set -e
[ "$EXIT1" = 0 ] || fail "gunicorn 1 exited with status $EXIT1 after SIGTERM"
read -r bulk_code bulk_time <"$WORK/bulk-status" || true  # (no newline at the end)
[ "$bulk_code" = 200 ] || fail "the request in flight during shutdown answered $bulk_code: $(head -c 400 "$WORK/bulk-out.json")"
answered=$(json "$WORK/bulk-out.json" '" ".join(map(str, (d["summary"]["total"], len(d["results"]), d["summary"]["translated"])))') \
  || fail "the request in flight answered no translation summary"
read -r total results translated <<<"$answered"
[ "$total" = 10000 ] && [ "$results" = 10000 ] || fail "the request in flight answered $results of 10000 results"
"$PY" -c "import sys; sys.exit(0 if $bulk_time > $term_after else 1)" \
  || fail "the request took ${bulk_time}s and was over before SIGTERM (sent after ${term_after}s): nothing was in flight"
echo "   SIGTERM after ${term_after}s; the 10,000-title request in flight answered 200 after ${bulk_time}s" \
  "($translated translated); gunicorn 1 exited 0"
# (A worker stopped by the master's SIGTERM may be logged as an error at shutdown: that one is expected.)
grep -iE 'Traceback|\[ERROR\]|"level": "(ERROR|CRITICAL)"|WORKER TIMEOUT' "$WORK/web1.log" | grep -qv "was sent SIGTERM" \
  && fail "errors in gunicorn 1's log"

step "structured logs: every line gunicorn 1 wrote is a JSON object, requests included"
"$PY" - "$WORK/web1.log" <<'PY' || fail "gunicorn 1's output is not all JSON"
import json
import sys

loggers = set()
for number, line in enumerate(open(sys.argv[1]), 1):
    try:
        record = json.loads(line)
    except ValueError:
        sys.exit(f"line {number} is not JSON: {line.strip()[:200]}")
    if not isinstance(record, dict) or "level" not in record or "message" not in record:
        sys.exit(f"line {number} lacks level or message: {line.strip()[:200]}")
    loggers.add(record.get("logger"))
    if record.get("logger") == "pmladder.request" and not record.get("request_id"):
        sys.exit(f"request line {number} has no request_id")
missing = {"gunicorn.error", "pmladder.request"} - loggers
if missing:
    sys.exit(f"no lines from {sorted(missing)}")
PY

step "gunicorn 2 stops cleanly too"
kill -TERM "$PID2"
set +e
wait "$PID2"
EXIT2=$?
set -e
[ "$EXIT2" = 0 ] || fail "gunicorn 2 exited with status $EXIT2 after SIGTERM"

STEP="done"
echo "== start sequence passed in ${SECONDS}s"
