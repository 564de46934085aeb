#!/usr/bin/env bash
# Webhooks end to end with the real queue: gunicorn, a Celery worker with its sweeper, a Redis broker
# of our own (its own port, never the shared one) and a local receiver that verifies every signature.
#   1. subscribe, change a ladder: the event arrives once, signed, within 2 s;
#   2. stop Redis for a minute while the ladder keeps changing (no write waits for the broker), start
#      Redis: every one of those events arrives too (the sweeper re-queues the outbox rows), once.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${WEBHOOKS_DB:-pmladder_webhooks}
REDIS_PORT=${WEBHOOKS_REDIS_PORT:-18261}
WEB_PORT=${WEBHOOKS_WEB_PORT:-18262}
RECEIVER_PORT=${WEBHOOKS_RECEIVER_PORT:-18263}
OUTAGE=${WEBHOOKS_OUTAGE_SECONDS:-60}  # how long the broker stays down while the ladder keeps changing
WORK=$(mktemp -d)
PIDS=()
REDIS_PID=""
cleanup() {
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done; exit 1; }

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --appendonly yes \
    --maxmemory-policy noeviction --save "" >>"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "Redis did not start on port $REDIS_PORT"
}

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="ci-webhooks-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
export WEBHOOKS_ALLOW_PRIVATE=1 WEBHOOKS_SWEEP_INTERVAL=2 WEBHOOKS_SWEEP_GRACE=2
unset REDIS_URL

start_redis
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_fixtures >/dev/null
KEY=$(.venv/bin/python manage.py create_api_key --organization demo --role write --name ci-webhooks)

: >"$WORK/events.jsonl"
echo "not yet" >"$WORK/secret"
.venv/bin/python .ci/webhook_receiver.py "$RECEIVER_PORT" "$WORK/secret" "$WORK/events.jsonl" 2>>"$WORK/receiver.log" &
PIDS+=("$!")
.venv/bin/gunicorn pmladder_api.wsgi --workers 1 --bind "127.0.0.1:$WEB_PORT" --log-level warning \
  >>"$WORK/web.log" 2>&1 &
PIDS+=("$!")
.venv/bin/celery -A pmladder_api worker -B --pool=solo --loglevel=WARNING --schedule="$WORK/beat-schedule" \
  >>"$WORK/worker.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$WEB_PORT/healthz" >/dev/null && break; sleep 0.1; done

API="http://127.0.0.1:$WEB_PORT/api/v1"
call() { curl -s -o "$WORK/out.json" -w "%{http_code}" -H "Authorization: Api-Key $KEY" -H "Content-Type: application/json" "$@"; }

code=$(call -X POST "$API/webhooks/" -d "{\"url\": \"http://127.0.0.1:$RECEIVER_PORT/hook\", \"events\": [\"ladder_version.*\"]}")
[ "$code" = 201 ] || fail "subscribe answered $code: $(cat "$WORK/out.json")"
.venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))['secret'])" "$WORK/out.json" >"$WORK/secret"
code=$(call -X POST "$API/companies/" -d '{"slug": "ci-hooks", "name": "CI Hooks"}')
[ "$code" = 201 ] || fail "company answered $code"

ladder() { # $1: the senior level's title
  call -X PUT "$API/companies/ci-hooks/ladders/product-management/" -d "{\"levels\": [
    {\"title\": \"Product Manager\", \"code\": \"L4\", \"reference_level\": \"pm\"},
    {\"title\": \"$1\", \"code\": \"L5\", \"reference_level\": \"senior-pm\"}]}"
}
wait_for() { # $1: number of verified events expected, $2: seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    [ "$(wc -l <"$WORK/events.jsonl")" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "expected $1 verified deliveries within $2 s, got $(wc -l <"$WORK/events.jsonl")"
}

echo "== 1. a change is delivered once, signed"
code=$(ladder "Senior Product Manager")
started=$(date +%s.%N)  # the answer comes after the commit
[ "$code" = 201 ] || fail "ladder PUT answered $code"
wait_for 1 10
latency=$(.venv/bin/python -c "import json,sys; print(round(json.loads(open(sys.argv[1]).readline())['received'] - float(sys.argv[2]), 2))" "$WORK/events.jsonl" "$started")
echo "delivered and verified ${latency} s after the PUT's answer (the commit)"
.venv/bin/python -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 2.0 else 1)" "$latency" || fail "slower than 2 s"

echo "== 2. with the broker down for ${OUTAGE}s during writes, every change is kept and delivered once it is back"
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=""
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && fail "Redis still answers"
down_at=$(date +%s)
writes=0
while [ $(( $(date +%s) - down_at )) -lt "$OUTAGE" ] || [ "$writes" -lt 2 ]; do
  writes=$((writes + 1))
  before=$(date +%s.%N)
  code=$(ladder "Senior PM $writes")
  took=$(.venv/bin/python -c "import sys,time; print(round(time.time() - float(sys.argv[1]), 2))" "$before")
  [ "$code" = 200 ] || fail "ladder PUT with the broker down answered $code"
  echo "write $writes with the broker down answered in ${took} s"
  sleep $(( OUTAGE / 6 > 0 ? OUTAGE / 6 : 1 ))
done
[ "$(wc -l <"$WORK/events.jsonl")" -eq 1 ] || fail "a delivery arrived while the broker was down?"
start_redis
wait_for $((writes + 1)) 60
sleep 5  # anything repeated would arrive now

.venv/bin/python - "$WORK/events.jsonl" "$writes" <<'PY'
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
ids = [e["id"] for e in events]
expected = int(sys.argv[2]) + 1
assert len(ids) == len(set(ids)) == expected, f"each of {expected} events exactly once: {ids}"
assert sorted(e["event"]["data"]["ladder_version"] for e in events) == list(range(1, expected + 1)), events
assert all(e["event"]["type"] == "ladder_version.created" for e in events), events
print(f"{expected} events, each once, signatures verified:", ", ".join(ids))
PY
echo "webhooks: OK"
