"""gunicorn.conf.py: the serving defaults, what the environment may change, and what it refuses."""

from __future__ import annotations

import os

import pytest
from gunicorn.config import Config

from tests.gunicorn_conf import load_gunicorn_conf


def test_gunicorn_defaults_fit_the_service(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert 1 <= conf["workers"] <= 12
    assert conf["timeout"] >= 30  # a 10,000-title POST /translate must never be killed
    assert conf["graceful_timeout"] > 0
    assert conf["max_requests"] > 0
    assert conf["max_requests_jitter"] > 0
    assert conf["preload_app"] is False
    assert conf["accesslog"] is None
    assert conf["errorlog"] == "-"


def test_gunicorn_accepts_the_configuration(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4", LOG_LEVEL="WARNING")
    cfg = Config()
    applied = {name for name in conf if name in cfg.settings}
    for name in applied:
        cfg.set(name, conf[name])  # gunicorn's own validators: raises on a bad type or value
    assert {"bind", "workers", "threads", "worker_class", "timeout", "max_requests_jitter"} <= applied
    assert cfg.workers == 3
    assert cfg.threads == 4
    assert cfg.loglevel == "warning"


def test_gunicorn_reads_its_sizes_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(
        monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="1", PORT="9001", GUNICORN_TIMEOUT="90"
    )
    assert conf["workers"] == 5
    assert conf["threads"] == 1
    assert conf["worker_class"] == "sync"
    assert conf["bind"] == ["0.0.0.0:9001"]
    assert conf["timeout"] == 90


@pytest.mark.parametrize(
    ("files", "cpus"),
    [
        ({"/sys/fs/cgroup/cpu.max": "50000 100000\n"}, 1),  # docker run --cpus 0.5 (cgroup v2)
        ({"/sys/fs/cgroup/cpu.max": "100000 100000\n"}, 1),
        ({"/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "100000\n", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n"}, 1),
    ],
)
def test_gunicorn_default_workers_follow_a_container_cpu_quota(monkeypatch, files, cpus):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    conf = load_gunicorn_conf(monkeypatch, files=files)
    assert conf["workers"] == 2 * cpus + 1


@pytest.mark.parametrize(
    ("files", "workers"),
    [
        ({"/sys/fs/cgroup/cpu.max": "max 100000\n"}, 12),  # no quota: 16 CPUs, capped at 12 workers
        ({}, 12),  # no cgroup files at all
        ({"/sys/fs/cgroup/cpu.max": "300000 100000\n"}, 7),  # 3 CPUs
    ],
)
def test_gunicorn_default_workers_without_a_quota(monkeypatch, files, workers):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    assert load_gunicorn_conf(monkeypatch, files=files)["workers"] == workers


def test_gunicorn_uses_gthread_when_threads_are_asked_for(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_THREADS="4")
    assert conf["worker_class"] == "gthread"


def test_gunicorn_bind_wins_over_port(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_BIND="127.0.0.1:7000", PORT="9001")
    assert conf["bind"] == ["127.0.0.1:7000"]


def test_gunicorn_logs_json_like_the_application_and_keeps_the_access_log_off(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    logging = conf["logconfig_dict"]
    assert logging["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"
    assert logging["loggers"]["gunicorn.error"]["handlers"] == ["stderr"]
    # gunicorn hands every request to gunicorn.access once a logging configuration is given
    assert logging["loggers"]["gunicorn.access"] == {"level": "CRITICAL", "handlers": [], "propagate": False}


def test_gunicorn_access_log_on_request(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_ACCESSLOG="-")
    assert conf["accesslog"] == "-"
    assert conf["logconfig_dict"]["loggers"]["gunicorn.access"]["handlers"] == ["access"]
    assert conf["logconfig_dict"]["handlers"]["access"]["stream"] == "ext://sys.stdout"


@pytest.mark.parametrize("env", [{"LOG_FORMAT": "text"}, {"DJANGO_DEBUG": "1"}])
def test_gunicorn_plain_text_logs(monkeypatch, env):
    conf = load_gunicorn_conf(monkeypatch, **env)
    assert "logconfig_dict" not in conf  # gunicorn's own text format


@pytest.mark.parametrize(
    ("name", "value"), [("WEB_CONCURRENCY", "many"), ("WEB_CONCURRENCY", "0"), ("PORT", "x"), ("LOG_FORMAT", "xml")]
)
def test_gunicorn_refuses_nonsense(monkeypatch, name, value):
    with pytest.raises(SystemExit, match=name):
        load_gunicorn_conf(monkeypatch, **{name: value})
