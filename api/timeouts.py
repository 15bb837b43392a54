"""Each API request's time budget, REQUEST_TIMEOUT seconds (the database's own, DATABASE_STATEMENT_TIMEOUT, is
set on the connection in config/settings.py).

The budget is checked before each GraphQL field is resolved (``check_deadline``), so a costly query stops between
two fields and the worker is free. Where the request runs in the process's main thread (a sync worker of a WSGI
server), a timer signal also interrupts whatever else runs past the budget. Either way the client gets a 503 in
the API's error shape (api/outages.py), not the server's HTML 500 after the worker is killed.
"""

import signal
import threading
import time
from contextvars import ContextVar

from django.conf import settings

API_PREFIXES = ("/api/", "/graphql/")

_deadline: ContextVar[float | None] = ContextVar("request_deadline", default=None)


class RequestTimeout(Exception):
    def __init__(self):
        super().__init__(
            f"The request took longer than the {settings.REQUEST_TIMEOUT:g} seconds one request may take, and was "
            "stopped: ask for less (smaller pages, fewer nested lists)."
        )


def check_deadline() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise RequestTimeout()


def _on_alarm(signum, frame):
    raise RequestTimeout()


def _can_use_alarm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, _on_alarm)
    )


class RequestTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        budget = settings.REQUEST_TIMEOUT
        if not budget or not request.path.startswith(API_PREFIXES):
            return self.get_response(request)
        token = _deadline.set(time.monotonic() + budget)
        alarm = _can_use_alarm()
        if alarm:
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            return self.get_response(request)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
            _deadline.reset(token)
