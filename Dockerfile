# Production image: gunicorn serving Django (static files through WhiteNoise), and the same image
# runs the Celery worker and beat. Front-end packages come from npm at build time (no CDN).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NRM_VAR_DIR=/var/lib/nrm \
    STATIC_ROOT=/app/staticfiles
RUN useradd --system --create-home --uid 10001 nrm \
    && mkdir -p /var/lib/nrm && chown nrm /var/lib/nrm
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY --from=assets /build/node_modules ./node_modules
COPY . .
# collectstatic needs settings to load; a throw-away key is generated for the build only.
RUN DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput -v 0
USER nrm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"
# gunicorn as deploy/gunicorn.conf.py sets it (bench/run.py measures the same): threaded
# workers, WEB_CONCURRENCY of them (default 2, one per core of the measured 2-core machine),
# a 120-second timeout, the access log on stdout.
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
