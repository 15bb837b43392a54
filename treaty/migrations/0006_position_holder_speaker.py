"""Position.party is the holder (the party whose stance it is); stated_by is the speaker.

The columns are renamed in place (every supported database can), not by remaking the table. On SQLite the
cross-table triggers (treaty/triggers.py) are dropped first: SQLite loses rows of a table it rebuilds (as the
next migrations do) while another table's trigger refers to it. post_migrate installs them again.
"""

from django.db import migrations

RENAMES = [("position", "party", "holder"), ("position", "stated_by", "speaker")]


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in ("treaty_position_clause_insert", "treaty_position_clause_update", "treaty_clause_proposal_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rename(table, old, new):
    return migrations.RunSQL(
        f'ALTER TABLE "{table}" RENAME COLUMN "{old}_id" TO "{new}_id"',
        f'ALTER TABLE "{table}" RENAME COLUMN "{new}_id" TO "{old}_id"',
    )


class Migration(migrations.Migration):
    dependencies = [("treaty", "0005_trigram_extension")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                rename(f"treaty_{prefix}{model}", old, new)
                for prefix in ("", "historical")
                for model, old, new in RENAMES
            ],
            state_operations=[
                migrations.RenameField(f"{prefix}{model}", old, new)
                for prefix in ("", "historical")
                for model, old, new in RENAMES
            ],
        )
    ]
