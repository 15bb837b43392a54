"""Make (or update) a curator with a role, and print a new API token for them, once.

    manage.py create_editor alice --email alice@example.org --token-days 90
    manage.py create_editor bob --administrator

The token is stored hashed (django-rest-knox): it cannot be shown again. Revoke it by
deleting it in the admin (Knox: Auth tokens). Set a password for the admin with
``manage.py changepassword <username>``.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from knox.models import AuthToken

from treaty import roles


class Command(BaseCommand):
    help = "Make a user an editor (or administrator) who may use the admin, and print an API token for them."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--token-days", type=int, default=90, help="Days until the token expires (default 90).")
        parser.add_argument("--administrator", action="store_true", help="Also allow deleting and managing users.")

    @transaction.atomic
    def handle(self, *args, username, email, token_days, administrator, **options):
        if token_days < 1:
            raise CommandError("--token-days must be 1 or more.")
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
        if created:
            user.set_unusable_password()
        user.is_staff = True
        if email:
            user.email = email
        user.save()
        role = roles.ADMINISTRATOR if administrator else roles.EDITOR
        user.groups.add(Group.objects.get(name=role))
        _, token = AuthToken.objects.create(user=user, expiry=timedelta(days=token_days))
        self.stdout.write(f"{'Created' if created else 'Updated'} {role} {username}. API token (shown only once):")
        self.stdout.write(token)
