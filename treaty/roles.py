"""The curation roles, as Django groups.

Readers need no account. Editors view, add and change the curated records; administrators
may also delete them and manage users and API tokens. The groups are (re)made after every
migrate, so they exist on a fresh database and pick up permissions of new models.
"""

from django.contrib.auth.models import Group, Permission

EDITOR = "editor"
ADMINISTRATOR = "administrator"


def install(using="default", **kwargs):
    treaty_permissions = Permission.objects.using(using).filter(content_type__app_label="treaty")
    editor, _ = Group.objects.using(using).get_or_create(name=EDITOR)
    editor.permissions.set(treaty_permissions.exclude(codename__startswith="delete_"))
    administrator, _ = Group.objects.using(using).get_or_create(name=ADMINISTRATOR)
    administrator.permissions.set(Permission.objects.using(using).all())
