#!/usr/bin/env bash
# HTTP benchmarks of /translate through gunicorn on PostgreSQL (issue: translation targets).
#
#   bench/http_bench.sh            # needs the local PostgreSQL and wrk (apt-get install wrk)
#
# Uses PostgreSQL (database $BENCH_DB, default pmladder_bench) and Redis ($BENCH_REDIS_URL, default
# db 14 of the local Redis, flushed first).
# Prints: POST /translate with 10,000 titles (about 500 distinct, and 10,000 distinct messy ones),
# the workers' peak memory, single GET /translate against a bare DRF view, side by side, and the
# workers' CPU per read of a list of 50 companies and of an 11-level ladder document (CPU time the
# workers spent during the run, from /proc, divided by the requests served).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8765}
DB=${BENCH_DB:-pmladder_bench}
WORKERS=${WORKERS:-2}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
OUT=${BENCH_OUT:-bench/results}
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
# Redis as in production (the shared cache, rate limits and the per-process lookups' generation).
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
redis-cli -u "$REDIS_URL" flushdb >/dev/null
export DJANGO_SETTINGS_MODULE=bench.settings DJANGO_DEBUG=0 DJANGO_SECRET_KEY="bench-only-$(date +%s)-not-a-secret"
export ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60 LOG_LEVEL=WARNING SECURE_SSL_REDIRECT=0
# Benchmarks measure the service, not the rate limiter.
export THROTTLE_READ=100000000/min THROTTLE_WRITE=100000000/min THROTTLE_BULK=100000000/min
# gunicorn reads ./gunicorn.conf.py: plain sync workers here, and no recycling in the middle of a
# measurement (a recycled worker starts with empty caches).
export GUNICORN_THREADS=1 GUNICORN_MAX_REQUESTS=0
.venv/bin/python -m bench.prepare "$OUT"
KEY=$(cat "$OUT/key")

.venv/bin/gunicorn pmladder_api.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" --timeout 120 \
  --pid "$OUT/gunicorn.pid" --log-level warning &
trap 'kill $(cat "$OUT/gunicorn.pid") 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); workers: $WORKERS"

post() {  # post FILE -> seconds
  curl -s -o /dev/null -w '%{time_total}' -X POST -H "Authorization: Api-Key $KEY" \
    -H 'Content-Type: application/json' --data-binary "@$OUT/$1" "$BASE/api/v1/translate"
}
for body in repeated.json distinct.json; do
  times=()
  for run in 1 2 3 4 5 6; do times+=("$(post "$body")"); done
  echo "POST /translate $body (10,000 titles): runs ${times[*]} s (run 1 cold: empty snapshot and memo caches in that worker)"
done

for pid in $(pgrep -P "$(cat "$OUT/gunicorn.pid")"); do
  echo "worker $pid peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
done

cat > "$OUT/auth.lua" <<LUA
wrk.headers["Authorization"] = "Api-Key $KEY"
LUA
TRANSLATE="$BASE/api/v1/translate?source=globex&target=parallax&title=Sr.%20Product%20Manager%20-%20Payments"
curl -sf -H "Authorization: Api-Key $KEY" "$TRANSLATE" >/dev/null
curl -sf -H "Authorization: Api-Key $KEY" "$BASE/bench/bare" >/dev/null
for round in 1 2; do
  echo "-- round $round: bare DRF view"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/auth.lua" "$BASE/bench/bare" | grep -E "Requests/sec|50%|99%|Non-2xx|errors"
  echo "-- round $round: GET /translate"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/auth.lua" "$TRANSLATE" | grep -E "Requests/sec|50%|99%|Non-2xx|errors"
done

# Reads: the workers' CPU per request (utime + stime from /proc/PID/stat, fields 14 and 15; the
# process name in field 2 may hold spaces, so the fields are counted after its closing parenthesis).
READ_KEY=$(cat "$OUT/read_key")
cat > "$OUT/read.lua" <<LUA
wrk.headers["Authorization"] = "Api-Key $READ_KEY"
LUA
worker_ticks() {
  local total=0
  for pid in $(pgrep -P "$(cat "$OUT/gunicorn.pid")"); do
    total=$(( total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}') ))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)
for read in "list of 50 companies|/api/v1/companies/?page_size=50" \
  "ladder document, 11 levels|/api/v1/companies/read-bench-00/ladders/product-management/"; do
  name=${read%%|*} path=${read#*|}
  curl -sf -H "Authorization: Api-Key $READ_KEY" "$BASE$path" >/dev/null
  for round in 1 2; do
    before=$(worker_ticks)
    result=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$OUT/read.lua" "$BASE$path")
    after=$(worker_ticks)
    requests=$(echo "$result" | awk '/requests in/ {print $1}')
    rate=$(echo "$result" | awk '/Requests\/sec/ {print $2}')
    cpu=$(awk -v t=$(( after - before )) -v hz="$HZ" -v n="$requests" 'BEGIN {printf "%.2f", t * 1000 / hz / n}')
    echo "-- round $round: GET $name: $rate requests/s, worker CPU $cpu ms per request ($requests requests)"
  done
done
