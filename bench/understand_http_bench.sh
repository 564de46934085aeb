#!/usr/bin/env bash
# POST /translate and POST /titles/understand with 10,000 distinct messy titles, through gunicorn on
# PostgreSQL: six runs each, timed by curl. Needs the local PostgreSQL (no wrk).
#
#   BENCH_DB=pmladder_bench PORT=8765 bench/understand_http_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8765}
WORKERS=${WORKERS:-2}
DB=${BENCH_DB:-pmladder_bench}
OUT=${BENCH_OUT:-bench/results-$DB}
mkdir -p "$OUT"

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SETTINGS_MODULE=bench.settings DJANGO_DEBUG=0 DJANGO_SECRET_KEY="bench-only-$(date +%s)-not-a-secret"
export ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60 LOG_LEVEL=WARNING SECURE_SSL_REDIRECT=0
export THROTTLE_READ=100000000/min THROTTLE_WRITE=100000000/min THROTTLE_BULK=100000000/min
.venv/bin/python -m bench.prepare "$OUT"
KEY=$(cat "$OUT/key")

.venv/bin/gunicorn pmladder_api.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" --timeout 120 \
  --pid "$OUT/gunicorn.pid" --log-level warning &
trap 'kill $(cat "$OUT/gunicorn.pid") 2>/dev/null || true; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); workers: $WORKERS; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

post() {  # post PATH FILE -> seconds
  curl -s -o /dev/null -w '%{time_total}' -X POST -H "Authorization: Api-Key $KEY" \
    -H 'Content-Type: application/json' --data-binary "@$OUT/$2" "$BASE$1"
}
for spec in "/api/v1/translate distinct.json" "/api/v1/titles/understand understand.json"; do
  set -- $spec
  times=()
  for _ in 1 2 3 4 5 6; do times+=("$(post "$1" "$2")"); done
  echo "POST $1 $2 (10,000 distinct titles): ${times[*]} s (each worker's first request is cold)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
