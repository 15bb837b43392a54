"""Logging filters."""

import logging


class WithoutTraceback(logging.Filter):
    """Keeps the message of a client's fault (a bad Host header, say) but not the traceback Django attaches to
    it: the client got its 400, and a scanner's stream of bad requests should not fill the log with stacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
