"""Gunicorn settings for pmladder: ``gunicorn -c gunicorn.conf.py pmladder_api.wsgi``.

Every value can be changed from the environment, so one image serves a laptop, a small VM and a
fleet of containers behind a load balancer. Variables (all optional; see docs/deployment.md):

- ``GUNICORN_BIND`` (``host:port``) or ``PORT`` (binds ``0.0.0.0:$PORT``); default ``0.0.0.0:8000``
- ``WEB_CONCURRENCY``: worker processes; default ``2 * CPUs + 1``, at most 12 (CPUs: the CPU set,
  capped by a container's CPU quota)
- ``GUNICORN_THREADS``: threads per worker; default 2 (the ``gthread`` worker); 1 selects ``sync``
- ``GUNICORN_TIMEOUT`` (60), ``GUNICORN_GRACEFUL_TIMEOUT`` (30), ``GUNICORN_KEEPALIVE`` (5) in seconds
- ``GUNICORN_MAX_REQUESTS`` (5000) and ``GUNICORN_MAX_REQUESTS_JITTER`` (500): recycle workers
- ``GUNICORN_ACCESSLOG``: unset for none (the default), ``-`` for stdout, or a file path
- ``FORWARDED_ALLOW_IPS``: proxies whose ``X-Forwarded-*`` headers are trusted; default ``127.0.0.1,::1``
- ``LOG_LEVEL``: gunicorn's own log level as well as the application's; default ``info``
- ``LOG_FORMAT``: ``json`` (default) or ``text`` (default when ``DJANGO_DEBUG=1``), as for the application
"""

import math
import os


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"gunicorn.conf.py: {name} must be at least {minimum}, not {value}")
    return value


def _cgroup_cpu_limit() -> float | None:
    """The container's CPU quota in CPUs (cgroup v2 ``cpu.max`` or v1 ``cfs_quota_us``), if any."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as q, open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as p:
            quota_us, period_us = int(q.read()), int(p.read())
        return None if quota_us <= 0 else quota_us / period_us
    except (OSError, ValueError):
        return None


def _cpus() -> int:
    """The CPUs this process may use: its CPU set, capped by a container's CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    limit = _cgroup_cpu_limit()
    if limit is not None:
        cpus = min(cpus, max(1, math.ceil(limit)))
    return cpus


# Where to listen.
if os.environ.get("GUNICORN_BIND", "").strip():
    bind = [os.environ["GUNICORN_BIND"].strip()]
else:
    bind = [f"0.0.0.0:{_int('PORT', 8000, minimum=1)}"]

# How many requests at once. The translation engine is CPU-bound Python, so processes (not threads)
# are what scale throughput; the cap keeps a large host from opening dozens of database connections
# per container. A second thread per worker overlaps database and Redis waits and keeps idle
# keep-alive connections from a load balancer off the worker's only thread.
workers = _int("WEB_CONCURRENCY", min(2 * _cpus() + 1, 12), minimum=1)
threads = _int("GUNICORN_THREADS", 2, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"

# A POST /translate of 10,000 titles answers in well under 2 s; 60 s leaves room for a cold cache and
# a busy host, and still kills a stuck worker long before a client gives up.
timeout = _int("GUNICORN_TIMEOUT", 60, minimum=1)
# On SIGTERM, workers finish the requests in hand for up to this long, then exit.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
# Keep-alive seconds for idle connections (gthread only; sync workers close after every answer).
# Behind a load balancer, set it above the balancer's idle timeout so the balancer closes first.
keepalive = _int("GUNICORN_KEEPALIVE", 5, minimum=0)

# Recycle a worker after about this many requests, each at a different count so they do not all
# restart at once: bounds any slow growth of memory. Not more often: a restart costs about a second
# of CPU (Django starts again, the in-process snapshot cache is empty), and keep-alive connections
# the worker holds are closed, which a client may see as a reset. A worker now serves 150-350
# translations/s at full load (docs/performance.md): 5,000 restarted one every 15-30 s and emptied its
# caches mid-measurement, so the default is 100,000 (an hour or more at full load); memory per worker
# is bounded by SNAPSHOT_CACHE_MB and the engine's fixed memo tables, not by recycling.
max_requests = _int("GUNICORN_MAX_REQUESTS", 100_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 10_000)

# Request limits. gunicorn answers a request over its own limits with an HTML page the client cannot
# parse, so these sit above the application's limits (ladder.middleware.RequestLimitsMiddleware):
# a request line up to 8190 bytes and up to 200 headers of up to 16380 bytes reach the application,
# which answers anything over 8000 bytes of URI, 100 headers or 8190 bytes per header with a JSON
# error. Beyond these gunicorn's HTML answer remains (docs/security.md).
limit_request_line = 8190
limit_request_fields = 200
limit_request_field_size = 16380

# Each worker imports the application itself: a code or settings error shows in the worker's log,
# and recycled workers never share state (database connections, sockets) with the master.
preload_app = False

# The worker heartbeat file: on a memory file system where one exists (Docker's overlay file system
# can stall the heartbeat and get healthy workers killed).
_SHM = "/dev/shm"  # noqa: S108 (gunicorn's own advice for containers; only heartbeat files go there)
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM

# Logs go to the container's output. The access log is off unless asked for: the application logs
# every request itself (logger pmladder.request), with its request id.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "").strip() or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").strip().lower() or "info"
capture_output = False

# gunicorn's own lines (boots, worker exits, timeouts) in the application's format: JSON unless
# LOG_FORMAT=text, which is also the default with DJANGO_DEBUG=1, as in pmladder_api/settings.py.
_debug = os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on", "y", "t"}
log_format = os.environ.get("LOG_FORMAT", "").strip().lower() or ("text" if _debug else "json")
if log_format == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
            },
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "root": {"level": loglevel.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
            # With a logging configuration, gunicorn hands every request to this logger: keep it
            # silent unless an access log was asked for.
            "gunicorn.access": {
                "level": "INFO" if accesslog else "CRITICAL",
                "handlers": ["access"] if accesslog else [],
                "propagate": False,
            },
        },
    }
    if accesslog:
        logconfig_dict["handlers"]["access"] = (
            {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
            if accesslog == "-"
            else {"class": "logging.FileHandler", "formatter": "json", "filename": accesslog}
        )
elif log_format != "text":
    raise SystemExit(f"gunicorn.conf.py: LOG_FORMAT must be json or text, not {log_format!r}")

# Trust X-Forwarded-For / X-Forwarded-Proto only from these addresses (the load balancer's).
# "*" is right only when nothing but the balancer can reach the workers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").strip()

proc_name = "pmladder"

# Room for the longest query string the API accepts (titles and codes percent-encoded).
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 8190, minimum=1024)
