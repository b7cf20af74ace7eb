"""gunicorn's configuration, the one way the web server runs: the image's command
(`gunicorn --config deploy/gunicorn.conf.py`, docker-compose's web service) and bench/run.py,
which only binds it to loopback and serves bench/wsgi.py (the same application, plus a query
count on request). Settings on the command line or in GUNICORN_CMD_ARGS override these.
"""

import os

wsgi_app = "nrm.wsgi"  # DJANGO_SETTINGS_MODULE: nrm.settings
bind = ["0.0.0.0:8000"]

# Worker processes: WEB_CONCURRENCY, else 2, about one per core. A request is CPU-bound Python:
# on 2 cores with wrk at 16 connections, 4 workers served less than 2 on most endpoints, at more
# CPU per request and twice the memory (docs/PERFORMANCE.md, "One server configuration").
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Threaded workers: a national export streams for a minute or more, and a sync worker would be
# killed by the timeout half-way through it (a threaded worker keeps answering its heartbeat).
worker_class = "gthread"
threads = 4
timeout = 120

accesslog = "-"
forwarded_allow_ips = "*"  # X-Forwarded-Proto of the TLS proxy (client addresses: TRUSTED_PROXIES)
control_socket_disable = True  # gunicorn 25+ would open a control socket in $HOME

# Prometheus (nrm/metrics.py): with several worker processes each keeps its request figures in
# PROMETHEUS_MULTIPROC_DIR and /metrics sums them. The folder must start empty (a previous run's
# files would be counted again) and a worker that exits is marked so its gauges are dropped.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if _metrics_dir:
        os.makedirs(_metrics_dir, exist_ok=True)
        for name in os.listdir(_metrics_dir):
            if name.endswith(".db"):
                os.remove(os.path.join(_metrics_dir, name))


def child_exit(server, worker):
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
