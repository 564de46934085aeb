"""A local webhook receiver for .ci/webhooks.sh: verifies each request's Standard Webhooks signature
with the secret in SECRET_FILE and appends the verified event, one JSON line each, to LOG_FILE.

    python .ci/webhook_receiver.py PORT SECRET_FILE LOG_FILE
"""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks.webhooks import Webhook

PORT, SECRET_FILE, LOG_FILE = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            event = Webhook(SECRET_FILE.read_text().strip()).verify(body, headers)
        except Exception as exc:  # a bad signature is reported, not recorded
            sys.stderr.write(f"receiver: signature check failed: {exc}\n")
            self.send_response(401)
            self.end_headers()
            return
        with LOG_FILE.open("a") as log:
            log.write(json.dumps({"id": headers["webhook-id"], "received": time.time(), "event": event}) + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
