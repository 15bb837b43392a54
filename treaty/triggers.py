# ruff: noqa: S608  (constant SQL: MESSAGE is a literal of this module)
"""Database triggers for the cross-table rule that a CHECK constraint cannot express:
a position on a clause names that clause's proposal.

They are (re)installed after every migrate, because SQLite drops a table's
triggers whenever a migration rebuilds the table.
"""

from django.db import connections

MESSAGE = "the clause of a position must belong to the proposal of the position"

SQLITE = [
    "DROP TRIGGER IF EXISTS treaty_position_clause_insert",
    "DROP TRIGGER IF EXISTS treaty_position_clause_update",
    "DROP TRIGGER IF EXISTS treaty_clause_proposal_update",
    f"""CREATE TRIGGER treaty_position_clause_insert BEFORE INSERT ON treaty_position
    WHEN NEW.clause_id IS NOT NULL
     AND NEW.proposal_id IS NOT (SELECT proposal_id FROM treaty_clause WHERE id = NEW.clause_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER treaty_position_clause_update BEFORE UPDATE OF clause_id, proposal_id ON treaty_position
    WHEN NEW.clause_id IS NOT NULL
     AND NEW.proposal_id IS NOT (SELECT proposal_id FROM treaty_clause WHERE id = NEW.clause_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER treaty_clause_proposal_update BEFORE UPDATE OF proposal_id ON treaty_clause
    WHEN EXISTS (SELECT 1 FROM treaty_position WHERE clause_id = NEW.id AND proposal_id IS NOT NEW.proposal_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION treaty_position_clause_check() RETURNS trigger AS $$
    BEGIN
      IF NEW.clause_id IS NOT NULL AND NEW.proposal_id IS DISTINCT FROM
         (SELECT proposal_id FROM treaty_clause WHERE id = NEW.clause_id) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION treaty_clause_proposal_check() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM treaty_position
                 WHERE clause_id = NEW.id AND proposal_id IS DISTINCT FROM NEW.proposal_id) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS treaty_position_clause ON treaty_position",
    """CREATE TRIGGER treaty_position_clause BEFORE INSERT OR UPDATE OF clause_id, proposal_id ON treaty_position
    FOR EACH ROW EXECUTE FUNCTION treaty_position_clause_check()""",
    "DROP TRIGGER IF EXISTS treaty_clause_proposal ON treaty_clause",
    """CREATE TRIGGER treaty_clause_proposal BEFORE UPDATE OF proposal_id ON treaty_clause
    FOR EACH ROW EXECUTE FUNCTION treaty_clause_proposal_check()""",
]


def install(using="default", **kwargs):
    connection = connections[using]
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
