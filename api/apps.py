from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Treaty API"

    def ready(self):
        from api import caching

        # Any change to the data invalidates the cached responses (api/caching.py).
        caching.connect_signals()
