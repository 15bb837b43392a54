"""django-csp's middleware with the site's Content-Security-Policy built once.

django-csp builds the policy (and the report-only one) anew for every answer, from settings that do not change
while the process runs: about 50 µs of a cached answer's 300. Here the site's policy is built once; anything
that makes an answer's policy its own (a nonce used, a view's csp_update or the like, an exemption, a report-only
policy, excluded prefixes, a debug page) goes to django-csp, which does what it always did.
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
OWN_POLICY += tuple(f"{name}_ro" for name in OWN_POLICY)


@cache
def site_policy() -> str | None:
    """The policy every answer gets, or None where the settings make django-csp decide per answer (a report-only
    policy, excluded prefixes)."""
    if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
        return None
    if (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES"):
        return None
    return build_policy()


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


class SitePolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        policy = site_policy()
        if (
            policy is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or HEADER in response
            or any(hasattr(response, name) for name in OWN_POLICY)
        ):
            return super().process_response(request, response)
        if policy:
            response[HEADER] = policy
        # As django-csp does: a nonce asked for once the header is written would be in no header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
