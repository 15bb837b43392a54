"""PostgreSQL's pg_trgm, so a misspelt name still finds its record (treaty.queries.search); nothing elsewhere."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("treaty", "0004_audit_history")]

    operations = [TrigramExtension()]
