#!/usr/bin/env bash
# Does a translation cost more when there are more companies? Seeds N companies (8 levels each)
# through the services, and for each N measures single GET /translate for one hot pair against
# random pairs among all N, through gunicorn (2 workers) on PostgreSQL with Redis.
#
#   bench/scale.sh                 # N = 100, 2000, 10000; needs PostgreSQL, Redis and wrk
#   SIZES="100 2000" bench/scale.sh
#
# Prints per N: requests/s hot and random (two rounds each, alternating), their ratio, and each
# worker's resident memory after the run. Before measuring, the workers are warmed by walking all
# companies about three times (a long-running server has seen its customers' ladders).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8766}
DB=${SCALE_DB:-pmladder_scale}
SIZES=${SIZES:-100 2000 10000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
OUT=${SCALE_OUT:-bench/results/scale}
REDIS=${SCALE_REDIS_URL:-redis://127.0.0.1:6379/14}
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" REDIS_URL="$REDIS"
export DJANGO_SETTINGS_MODULE=bench.settings DJANGO_DEBUG=0 DJANGO_SECRET_KEY="bench-only-$(date +%s)-not-a-secret"
export ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60 LOG_LEVEL=WARNING SECURE_SSL_REDIRECT=0 PYTHONWARNINGS=ignore
export THROTTLE_READ=100000000/min THROTTLE_WRITE=100000000/min THROTTLE_BULK=100000000/min
# gunicorn reads ./gunicorn.conf.py: plain sync workers here, and no recycling in the middle of a
# measurement (a recycled worker starts with empty caches).
export GUNICORN_THREADS=1 GUNICORN_MAX_REQUESTS=0
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_fixtures --reference-only >/dev/null
BASE="http://127.0.0.1:$PORT"
PIDFILE="$OUT/gunicorn.pid"
trap 'kill $(cat "$PIDFILE" 2>/dev/null) 2>/dev/null || true' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

for N in $SIZES; do
  .venv/bin/python -m bench.scale_seed "$N" "$OUT" 2>/dev/null
  KEY=$(cat "$OUT/key")
  redis-cli -u "$REDIS" flushdb >/dev/null
  .venv/bin/gunicorn pmladder_api.wsgi --workers 2 --bind "127.0.0.1:$PORT" --timeout 120 --pid "$PIDFILE" \
    --log-level warning &
  for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

  cat > "$OUT/hot.lua" <<LUA
wrk.headers["Authorization"] = "Api-Key $KEY"
wrk.path = "/api/v1/translate?source=scale-00001&target=scale-00002&title=Senior%20Product%20Manager"
LUA
  cat > "$OUT/random.lua" <<LUA
wrk.headers["Authorization"] = "Api-Key $KEY"
local n = $N
function setup(thread) thread:set("seed", math.random(1, 1000000)) end
function init(args) math.randomseed(seed) end
request = function()
  local a, b = math.random(1, n), math.random(1, n)
  return wrk.format("GET", string.format("/api/v1/translate?source=scale-%05d&target=scale-%05d&title=Senior%%20Product%%20Manager", a, b))
end
LUA
  cat > "$OUT/walk.lua" <<LUA
wrk.headers["Authorization"] = "Api-Key $KEY"
local n, i = $N, 0
function setup(thread) thread:set("offset", math.random(0, n - 1)) end
request = function()
  i = i + 1
  local a = (offset + i) % n + 1
  return wrk.format("GET", string.format("/api/v1/translate?source=scale-%05d&target=scale-%05d&title=Senior%%20Product%%20Manager", a, (a % n) + 1))
end
LUA
  # Warm: walk the pairs (i, i+1) over every company about three times, so that both workers have
  # seen nearly all of them: 5 s to learn the cold rate, then as long as three walks take at it.
  rate=$(wrk -t2 -c4 -d5s -s "$OUT/walk.lua" "$BASE/" | awk '/Requests\/sec/ {print int($2)}')
  warm=$(( N * 3 / (rate > 0 ? rate : 1) ))
  [ "$warm" -gt 0 ] && wrk -t2 -c4 -d"${warm}s" -s "$OUT/walk.lua" "$BASE/" >/dev/null
  echo "== N=$N: warm-up walk at $rate requests/s (cold), $(( warm + 5 )) s"
  workers=$(pgrep -P "$(cat "$PIDFILE")" | sort | tr '\n' ' ')

  for round in 1 2; do
    hot=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$OUT/hot.lua" "$BASE/" | awk '/Requests\/sec/ {print $2}')
    random=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s "$OUT/random.lua" "$BASE/" | awk '/Requests\/sec/ {print $2}')
    echo "N=$N round $round: hot pair $hot req/s, random pairs $random req/s, ratio $(echo "scale=2; $random / $hot" | bc)"
  done
  [ "$(pgrep -P "$(cat "$PIDFILE")" | sort | tr '\n' ' ')" = "$workers" ] || echo "N=$N: a worker restarted during the run"
  for pid in $(pgrep -P "$(cat "$PIDFILE")"); do
    echo "N=$N worker $pid: RSS $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$pid/status), peak $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"
  done
  echo "N=$N load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  kill "$(cat "$PIDFILE")"; sleep 2
done
