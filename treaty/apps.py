from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TreatyConfig(AppConfig):
    name = "treaty"
    verbose_name = "Treaty negotiations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from treaty import triggers

        post_migrate.connect(triggers.install, sender=self)
