#!/usr/bin/env bash
# Two gunicorn processes sharing PostgreSQL and Redis enforce ONE rate limit per API key:
# with THROTTLE_READ=10/min, twelve reads spread over both processes give ten 200s and two 429s.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=pmladder_limits
PORT_A=${PORT_A:-8781}
PORT_B=${PORT_B:-8782}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "FATAL: Redis does not answer" >&2; exit 1; }

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" REDIS_URL="redis://127.0.0.1:6379/3"
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="ci-limits-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING THROTTLE_READ=10/min
redis-cli -h 127.0.0.1 -n 3 flushdb >/dev/null
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_fixtures >/dev/null
KEY=$(.venv/bin/python manage.py create_api_key --organization demo --role read --name ci-limits)

for port in "$PORT_A" "$PORT_B"; do
  .venv/bin/gunicorn pmladder_api.wsgi --workers 1 --bind "127.0.0.1:$port" --log-level warning &
  PIDS+=("$!")
done
for port in "$PORT_A" "$PORT_B"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done

ok=0 limited=0
for i in $(seq 1 12); do
  port=$([ $((i % 2)) -eq 0 ] && echo "$PORT_A" || echo "$PORT_B")
  code=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -H "Authorization: Api-Key $KEY" \
    "http://127.0.0.1:$port/api/v1/companies/")
  case "$code" in
    200) ok=$((ok + 1)) ;;
    429) limited=$((limited + 1))
         grep -qi '^retry-after: [0-9]' "$WORK/headers" || { echo "FAIL: 429 without Retry-After" >&2; exit 1; }
         grep -q '"code":"throttled"' "$WORK/body" || { echo "FAIL: 429 not in the error shape" >&2; exit 1; } ;;
    *) echo "FAIL: unexpected status $code" >&2; cat "$WORK/body" >&2; exit 1 ;;
  esac
done
echo "shared rate limit over two processes: $ok x 200, $limited x 429 (want 10 and 2)"
[ "$ok" -eq 10 ] && [ "$limited" -eq 2 ] || { echo "FAIL: the limit is not shared" >&2; exit 1; }
