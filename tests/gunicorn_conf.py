"""Running ``gunicorn.conf.py`` as gunicorn does, for the deployment and configuration tests."""

from __future__ import annotations

import io
import re
from pathlib import Path

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
OS_ENVIRON = re.compile(r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]*)["']""")
GUNICORN_INT = re.compile(r"""_int\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def gunicorn_variables() -> set[str]:
    text = GUNICORN_CONF.read_text()
    return set(OS_ENVIRON.findall(text)) | set(GUNICORN_INT.findall(text))


def load_gunicorn_conf(monkeypatch, files: dict[str, str] | None = None, **env: str) -> dict:
    """Execute gunicorn.conf.py as gunicorn does, with only the given variables set.

    ``files`` stands in for the cgroup files the configuration reads ({path: content}); without it,
    the machine's own are read.
    """
    for name in gunicorn_variables():
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict = {"__file__": str(GUNICORN_CONF), "__name__": "__config__"}
    if files is not None:

        def fake_open(path, *args, **kwargs):
            if str(path) in files:
                return io.StringIO(files[str(path)])
            raise FileNotFoundError(path)

        namespace["open"] = fake_open
    exec(compile(GUNICORN_CONF.read_text(), str(GUNICORN_CONF), "exec"), namespace)
    return namespace
