"""docs/integration.md works as written: its curl examples run against a live server, and its two
signature checks (Python and Node.js) accept a real signature and refuse a forged one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from ladder.choices import KeyRole
from ladder.fixtures_loader import load_reference_fixtures
from ladder.webhooks.delivery import new_secret, signed_headers
from tests.factories import OrganizationFactory, make_key

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "integration.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), re.S)


@pytest.mark.skipif(shutil.which("jq") is None or shutil.which("curl") is None, reason="needs curl and jq")
@pytest.mark.django_db(transaction=True)
def test_the_curl_examples_run_in_order_against_a_live_server(live_server, tmp_path):
    load_reference_fixtures()
    org = OrganizationFactory(slug="hris", name="HRIS")
    _, key = make_key(org, KeyRole.WRITE, name="hris-sync")
    script = "\n".join(blocks("sh"))
    assert script.count("curl") >= 15
    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=tmp_path,
        env={**os.environ, "BASE": live_server.url, "KEY": key},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _signed() -> tuple[str, dict, str]:
    secret = new_secret()
    body = json.dumps({"type": "company.updated", "timestamp": "2026-03-09T10:00:00Z", "data": {}})
    return secret, signed_headers(secret, "msg_1", body, timezone.now()), body


def test_the_python_signature_check():
    (code,) = blocks("python")
    namespace: dict = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # the guide's own example
    secret, headers, body = _signed()
    assert namespace["verify"](secret, headers, body.encode())["type"] == "company.updated"
    with pytest.raises(Exception):  # noqa: B017 (the library's own error type)
        namespace["verify"](secret, headers, body.replace("company", "level").encode())


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_node_signature_check():
    (code,) = blocks("js")
    secret, headers, body = _signed()
    runner = code + "\nconsole.log(verify(process.env.S, JSON.parse(process.env.H), process.env.B).type);\n"
    ok = subprocess.run(
        ["node", "-e", runner],
        env={**os.environ, "S": secret, "H": json.dumps(headers), "B": body},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert ok.returncode == 0 and ok.stdout.strip() == "company.updated", ok.stderr
    forged = subprocess.run(
        ["node", "-e", runner],
        env={**os.environ, "S": secret, "H": json.dumps(headers), "B": body.replace("company", "level")},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert forged.returncode != 0 and "bad signature" in forged.stderr
