"""Throttling, DRF's: anonymous clients by address, authenticated ones by user.

The rates are read at each request from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], so settings (and tests) can
change them. Behind a proxy, set NUM_PROXIES so clients are told apart by X-Forwarded-For. The GraphQL view
applies the same throttles (api.limits.throttle_wait).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
