"""The benchmark's floor: a minimal Django view returning the bytes of a real answer, through the same server and
middleware. Mounted only when BENCHMARK_FLOOR_DIR is set (by manage.py benchmark); never in production."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse

_bodies: dict[str, bytes] = {}


def floor(request, name: str):
    if name not in _bodies:
        path = Path(settings.BENCHMARK_FLOOR_DIR) / f"{name}.body"
        if not path.is_file():
            raise Http404(name)
        _bodies[name] = path.read_bytes()
    return HttpResponse(_bodies[name], content_type="application/json")
