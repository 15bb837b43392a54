"""The pages for people: the landing page at / (the admin's "View site") and the README."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

home = require_safe(TemplateView.as_view(template_name="home.html"))


@require_safe
def readme(request):
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")
