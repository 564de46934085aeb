#!/usr/bin/env bash
# The committed openapi.yaml must produce a working Python client: generate one with
# openapi-python-client into a temporary folder, start the real service (gunicorn, production
# settings, a fresh SQLite database), and drive it with tests/client/check_generated_client.py.
#
#   .ci/client_check.sh          # about 20 s; needs `make install`
#
# Fails when the schema stops producing a client that can create a company, put a ladder, translate
# a batch, read the history, and parse errors, enums and nullable fields.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
WORK=$(mktemp -d)
SERVER=""
cleanup() {
  status=$?
  if [ -n "$SERVER" ]; then
    kill -TERM "$SERVER" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "$status" -ne 0 ] && [ -f "$WORK/server.log" ]; then
    echo "--- server log (last 40 lines)" >&2
    tail -n 40 "$WORK/server.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

echo "== generate the client from openapi.yaml"
# The generator formats its output with ruff, which it finds on PATH.
PATH="$PWD/.venv/bin:$PATH" .venv/bin/openapi-python-client generate --path openapi.yaml --meta none \
  --output-path "$WORK/pmladder_client" >"$WORK/generate.log" 2>&1 || { cat "$WORK/generate.log" >&2; exit 1; }
# The only warnings accepted: spreadsheet bodies (CSV for translate and understand, CSV and XLSX for a
# ladder PUT), which a JSON client does not send; the JSON body of the same operations is generated.
warnings=$(grep -c "^WARNING" "$WORK/generate.log" || true)
sheets=$(grep -cE "^Unsupported content type (text/csv|application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)$" \
  "$WORK/generate.log" || true)
if [ "$warnings" != "$sheets" ] || grep -q "^ERROR" "$WORK/generate.log"; then
  cat "$WORK/generate.log" >&2
  echo "FAIL: openapi-python-client warned about more than the spreadsheet content types" >&2
  exit 1
fi

echo "== start the service (gunicorn, production settings, fresh SQLite)"
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" DJANGO_DEBUG=0 DJANGO_SECRET_KEY="client-check-$RANDOM-not-a-secret"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
unset REDIS_URL
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_fixtures >/dev/null
KEY=$("$PY" manage.py create_api_key --organization demo --role write --name client-check)
# A port the system has free now (it picks one for port 0).
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/gunicorn pmladder_api.wsgi --workers 1 --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "FAIL: the service did not start" >&2; exit 1; }

echo "== drive the service with the generated client"
PYTHONPATH="$WORK" "$PY" tests/client/check_generated_client.py "http://127.0.0.1:$PORT" "$KEY"
