#!/usr/bin/env bash
# Load test: mixed traffic against gunicorn (gunicorn.conf.py) on PostgreSQL + Redis, with wrk.
#
#   bench/load_test.sh        # needs the local PostgreSQL, Redis (started if down) and wrk
#
# Three phases, each against a fresh gunicorn on the same database and Redis:
#   service     DURATION (60 s) of mixed traffic at CONNECTIONS (32) against gunicorn with its
#               default sizing: the throughput and latencies a deployment gets out of the box.
#   one-worker  PER_WORKER_DURATION (30 s) of the same traffic against one worker process: the
#               per-worker throughput that the capacity estimate in docs/deployment.md uses.
#   alone-OP    SINGLE_DURATION (10 s) of each operation alone on one connection against one worker:
#               the service time of each operation without queueing, and its CPU cost.
# The mix and the per-operation latencies come from bench/load_mixed.lua. Each phase also reports the
# CPU time the gunicorn workers, PostgreSQL and Redis used per request (from /proc), which stays
# meaningful when something else is busy on the machine; the load average is recorded beside it.
#
# Knobs: DURATION, CONNECTIONS, THREADS (wrk threads, 2), PORT (8766), PER_WORKER_DURATION and
# SINGLE_DURATION (0 skips a phase), WEB_CONCURRENCY / GUNICORN_THREADS (gunicorn.conf.py defaults).
# Results: bench/results/load/*.txt and *.json (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${PORT:-8766}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PER_WORKER_DURATION=${PER_WORKER_DURATION:-30s}
SINGLE_DURATION=${SINGLE_DURATION:-10s}
OUT=bench/results/load
DB=pmladder_load
REDIS_DB=2
TICKS=$(getconf CLK_TCK)
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
"${PSQL[@]}" -c "SELECT 1" >/dev/null || { echo "PostgreSQL at 127.0.0.1:5432 does not answer" >&2; exit 1; }
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
rm -rf "$OUT"
mkdir -p "$OUT"

"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
"${PSQL[@]}" -c "CREATE DATABASE $DB" >/dev/null
# A new database restarts ids and versions: forget snapshots cached for an earlier one.
redis-cli -h 127.0.0.1 -n "$REDIS_DB" --scan --pattern 'pmladder:*' | xargs -r redis-cli -h 127.0.0.1 -n "$REDIS_DB" del >/dev/null

# Production settings (not bench.settings), as docker-compose.yml sets them.
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY DJANGO_SETTINGS_MODULE=pmladder_api.settings DJANGO_DEBUG=0
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
# Logging as in production: one JSON line per request (into $OUT/gunicorn.log).
export ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60 LOG_LEVEL=${LOG_LEVEL:-INFO} LOG_FORMAT=json SECURE_SSL_REDIRECT=0
# One API key sends all the traffic: lift the per-key rate limits so they do not shape the result.
export THROTTLE_READ=1000000/s THROTTLE_WRITE=1000000/s THROTTLE_BULK=1000000/s

echo "== preparing $DB (migrate, fixtures, key, request bodies)"
"$PY" -m bench.prepare "$OUT" >/dev/null
# Eight bodies of 1,000 titles, drawn from the 10,000 distinct messy ones, sent in turn.
"$PY" - "$OUT" <<'PY'
import json
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
titles = json.loads((out / "distinct.json").read_text())["titles"]
for i in range(8):
    rng = random.Random(100 + i)
    body = {"source": "globex", "target": "parallax", "titles": rng.sample(titles, 1000)}
    (out / f"bulk-{i}.json").write_text(json.dumps(body))
PY
KEY=$(cat "$OUT/key")
BASE="http://127.0.0.1:$PORT"

GUNICORN_PID=""
stop_gunicorn() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID"
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  GUNICORN_PID=""
}
trap stop_gunicorn EXIT

start_gunicorn() {  # start_gunicorn [WORKERS]; without it, WEB_CONCURRENCY or gunicorn.conf.py's default
  local sizing=()
  [ -n "${1:-}" ] && sizing=("WEB_CONCURRENCY=$1")  # (gunicorn itself fails on an empty WEB_CONCURRENCY)
  env GUNICORN_BIND="127.0.0.1:$PORT" "${sizing[@]}" \
    .venv/bin/gunicorn -c gunicorn.conf.py pmladder_api.wsgi >>"$OUT/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && return 0; sleep 0.2; done
  echo "gunicorn did not become ready; see $OUT/gunicorn.log" >&2
  exit 1
}

warm_up() {  # each operation a few times (fills the caches); every answer must be 200
  local auth="Authorization: Api-Key $KEY"
  for _ in $(seq 1 6); do
    curl -sf -o /dev/null -H "$auth" "$BASE/api/v1/companies/"
    curl -sf -o /dev/null -H "$auth" "$BASE/api/v1/companies/globex/ladders/product-management/"
    curl -sf -o /dev/null -H "$auth" "$BASE/api/v1/translate?source=globex&target=parallax&title=Sr.%20PM"
    for i in $(seq 0 7); do
      curl -sf -o /dev/null -H "$auth" -H 'Content-Type: application/json' --data-binary "@$OUT/bulk-$i.json" \
        "$BASE/api/v1/translate"
    done
  done
}

cpu_ticks() {  # cpu_ticks PID...: user+system clock ticks of these processes (and their reaped children)
  local total=0 pid fields
  for pid in "$@"; do
    fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + $(awk '{print $12 + $13 + $14 + $15}' <<<"$fields")))
  done
  echo "$total"
}
gunicorn_ticks() { cpu_ticks "$GUNICORN_PID" $(pgrep -P "$GUNICORN_PID"); }
# PostgreSQL (every process of the server, and through the postmaster's reaped-children time the
# backends that ended during the run) and Redis: counts other clients of the server too, if any.
backend_ticks() { cpu_ticks $(pgrep -u postgres) $(pgrep -x redis-server); }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }  # busy time, all CPUs

run() {  # run LABEL DURATION CONNECTIONS [ONLY]
  local label=$1 g0 b0 m0 g1 b1 m1
  echo "== $label: wrk -t$THREADS -c$3 -d$2 ${4:+(only $4)}"
  g0=$(gunicorn_ticks)
  b0=$(backend_ticks)
  m0=$(machine_ticks)
  /usr/bin/time -f "%U %S" -o "$OUT/$label.wrk-cpu" \
    wrk -t"$THREADS" -c"$3" -d"$2" --timeout 10s --latency -s bench/load_mixed.lua "$BASE" \
    -- "$OUT/key" "$OUT" "$OUT/$label.json" ${4:+"$4"} >"$OUT/$label.txt"
  g1=$(gunicorn_ticks)
  b1=$(backend_ticks)
  m1=$(machine_ticks)
  for pid in $(pgrep -P "$GUNICORN_PID"); do
    echo "worker $pid peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status")"
  done >>"$OUT/$label.txt"
  "$PY" - "$OUT/$label.json" $((g1 - g0)) $((b1 - b0)) $((m1 - m0)) "$TICKS" "$(cat "$OUT/$label.wrk-cpu")" \
    <<'PY' | tee -a "$OUT/$label.txt"
import json
import sys

path, hz = sys.argv[1], int(sys.argv[5])
gunicorn, backend, machine = (int(t) / hz for t in sys.argv[2:5])
wrk = sum(float(x) for x in sys.argv[6].split())
result = json.load(open(path))
n, seconds = max(1, result["requests"]), result["seconds"]
cores = {"gunicorn": gunicorn, "postgres_redis": backend, "wrk": wrk, "other": max(0.0, machine - gunicorn - backend - wrk)}
result["cpu_cores_busy"] = {name: round(cpu / seconds, 3) for name, cpu in cores.items()}
result["cpu_ms_per_request"] = {"gunicorn": round(1000 * gunicorn / n, 2), "postgres_redis": round(1000 * backend / n, 2)}
json.dump(result, open(path, "w"), indent=1)
c, b = result["cpu_ms_per_request"], result["cpu_cores_busy"]
print(f"CPU per request: gunicorn {c['gunicorn']:.2f} ms, PostgreSQL+Redis {c['postgres_redis']:.2f} ms")
print(f"CPU cores busy: gunicorn {b['gunicorn']:.2f}, PostgreSQL+Redis {b['postgres_redis']:.2f}, wrk {b['wrk']:.2f}, "
      f"anything else {b['other']:.2f} (high means another program disturbed the run)")
PY
  sed -n '/^traffic:/,$p' "$OUT/$label.txt" | grep -v "^CPU " || true
}

: >"$OUT/gunicorn.log"
sizing=$("$PY" -c 'import runpy; c = runpy.run_path("gunicorn.conf.py"); print(c["workers"], c["threads"], c["worker_class"])')
read -r workers threads worker_class <<<"$sizing"
{
  echo "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sm)"
  echo "PostgreSQL $("${PSQL[@]}" -c 'SHOW server_version' | cut -d' ' -f1), Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), Python $("$PY" -c 'import platform; print(platform.python_version())')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

echo "== gunicorn $workers workers x $threads threads ($worker_class)"
start_gunicorn
warm_up
run service "$DURATION" "$CONNECTIONS"
stop_gunicorn

if [ "$PER_WORKER_DURATION" != 0 ]; then
  # Without worker recycling here: with a single worker, a restart stalls every request for about a
  # second, which measures the restart and not the worker.
  echo "== gunicorn 1 worker x $threads threads ($worker_class), no recycling"
  GUNICORN_MAX_REQUESTS=0 start_gunicorn 1
  warm_up
  run one-worker "$PER_WORKER_DURATION" "$CONNECTIONS"
  if [ "$SINGLE_DURATION" != 0 ]; then
    for op in list ladder translate bulk; do
      THREADS=1 run "alone-$op" "$SINGLE_DURATION" 1 "$op"
    done
  fi
  stop_gunicorn
fi

# (gunicorn logs a worker stopped by the master's SIGTERM at shutdown as an error: not one here.)
ERRORS='Traceback|WORKER TIMEOUT|\[ERROR\]|"level": "(ERROR|CRITICAL)"'
if grep -E "$ERRORS" "$OUT/gunicorn.log" | grep -qv "was sent SIGTERM"; then
  echo "errors in $OUT/gunicorn.log:" >&2
  grep -E "$ERRORS" "$OUT/gunicorn.log" | grep -v "was sent SIGTERM" | head -n 20 >&2
fi
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
echo "results in $OUT/"
