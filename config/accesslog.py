"""gunicorn's access log as JSON lines on stdout: one object per request, every value escaped by json.dumps
(a format string would let a quote in a User-Agent break the line)."""

import json
from datetime import UTC, datetime

from gunicorn.glogging import Logger


def access_record(atoms: dict) -> dict:
    """The fields logged for one request, from gunicorn's log atoms."""
    status = atoms.get("s")
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "remote_addr": atoms.get("h"),
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "query": atoms.get("q") or "",
        "status": int(status) if str(status).isdigit() else status,
        "bytes": atoms.get("B") or 0,
        "duration_ms": round((atoms.get("D") or 0) / 1000, 3),
        "user_agent": atoms.get("{user-agent}i") or "",
        "referer": atoms.get("{referer}i") or "",
        "x_forwarded_for": atoms.get("{x-forwarded-for}i") or "",
        "cache": atoms.get("{x-cache}o") or "",
        "pid": atoms.get("p", "").strip("<>"),
    }


class JsonAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info(json.dumps(access_record(self.atoms(resp, req, environ, request_time))))
        except Exception:
            self.exception("could not write the access log line")
