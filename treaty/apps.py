from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TreatyConfig(AppConfig):
    name = "treaty"
    verbose_name = "Treaty negotiations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from treaty import roles, triggers

        post_migrate.connect(triggers.install, sender=self)
        # After this app's permissions exist (django.contrib.auth makes them on the same signal, connected first).
        post_migrate.connect(roles.install, sender=self)
