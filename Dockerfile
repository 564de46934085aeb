# pmladder: the API served by gunicorn. Build: docker build -t pmladder .
# Run: docker compose up (see docs/deployment.md), or
#      docker run -e DJANGO_SECRET_KEY=... -e DATABASE_URL=... -e REDIS_URL=... -p 8000:8000 pmladder
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when the dependencies
# change, not on every code change. (psycopg[binary] ships its own libpq, so no compiler is needed.)
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code. It runs from /app as it is (settings locate fixtures/ and staticfiles/ beside the
# source), so it is not installed a second time into site-packages.
COPY . .

# Static files (admin, Swagger UI, ReDoc) collected and compressed once, at build time; whitenoise
# serves them. collectstatic needs settings to load, hence a throwaway key that exists only in this
# step: it is not an ENV of the image, and the service refuses to start without its own key.
ARG BUILD_ONLY_SECRET_KEY=collectstatic-at-build-time-only
RUN DJANGO_SECRET_KEY="$BUILD_ONLY_SECRET_KEY" DJANGO_DEBUG=0 python manage.py collectstatic --noinput --verbosity 0

# Run as an unprivileged user that owns none of the files: it reads the code but cannot change it.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
USER app

ENV PORT=8000
EXPOSE 8000

# Liveness: the process answers /healthz (readiness, with the database, is /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "pmladder_api.wsgi"]
