"""gunicorn settings for production (scripts/serve-production.sh), all from the environment.

gthread workers: pre-forked processes (a stuck one is killed after WEB_TIMEOUT and replaced) that keep HTTP
connections alive between requests, so a proxy or a load generator does not reconnect every time.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = timeout
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10

# Logs on stdout (access, JSON lines) and stderr (errors), for the platform to collect.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "config.accesslog.JsonAccessLogger"
