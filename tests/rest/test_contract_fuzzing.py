"""Schemathesis fuzzes every operation of the served schema in-process, with all its default checks.

Valid and invalid requests alike (positive and negative generation): every answer
must be documented, match its schema and content type, and never be a server
error. The served schema is the committed one (test_schema checks that).

Random slugs name no record, so every slug parameter also gets real ones as examples, from the seed fixtures
(a spread of each resource's): the examples phase sends them, and the answers are real records, not 404s.
"""

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

pytestmark = pytest.mark.fuzzing

MAX_EXAMPLES = 50


SEED = Path(django_settings.BASE_DIR) / "fixtures" / "seed"
EXAMPLES_PER_RESOURCE = 10


def seed_slugs() -> dict[str, list[str]]:
    """Slugs of the seed fixtures by resource (its URL prefix), a spread of each resource's records."""
    from api.rest.urls import router

    prefixes = {viewset.queryset.model._meta.label_lower: prefix for prefix, viewset, _ in router.registry}
    slugs: dict[str, list[str]] = {}
    for path in sorted(SEED.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if item["model"] in prefixes and "slug" in item["fields"]:
                slugs.setdefault(prefixes[item["model"]], []).append(item["fields"]["slug"])
    return {prefix: found[:: max(1, len(found) // EXAMPLES_PER_RESOURCE)] for prefix, found in slugs.items()}


def with_seed_examples(raw: dict) -> dict:
    """The schema with seed slugs as the examples of each operation's slug parameter (the diff's `against` too)."""
    slugs = seed_slugs()
    for path, methods in raw["paths"].items():
        prefix = path.split("/")[3]
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if prefix in slugs and (parameter["name"], parameter["in"]) in {("slug", "path"), ("against", "query")}:
                    parameter["examples"] = {slug: {"value": slug} for slug in slugs[prefix]}
    return raw


# Loading the schema needs no database; the requests in the test use the test database.
app = get_wsgi_application()
served = schemathesis.openapi.from_wsgi("/api/schema/", app, headers={"Accept": "application/vnd.oai.openapi+json"})
# Writes to real records: without If-Match the answer is 428 Precondition Required (RFC 6585), the status made
# for it; with an If-Match that names no current version it is 412, before the body is read (RFC 9110 evaluates
# preconditions first). Schemathesis expects its usual 4xx unless told.
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "428", "429", "5xx"]
config = schemathesis.Config.from_dict(
    {
        "checks": {
            "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]},
            "negative_data_rejection": {"expected-statuses": REFUSALS},
        }
    }
)
schema = schemathesis.openapi.from_dict(with_seed_examples(served.raw_schema), config=config)
schema.app = app


@pytest.fixture
def test_connection_kept_open():
    """Requests must not close the test's database connection, as Django's own test client ensures."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor(token_for):
    """Requests are an editor's, so the writes run past authentication (and deletes get their documented 403)."""
    return {"Authorization": f"Token {token_for('editor')}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # CI must be repeatable; raise MAX_EXAMPLES locally to explore
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_honours_its_contract(db, test_connection_kept_open, editor, case):
    # A write whose body fits the schema may still break a rule the schema cannot state (a related slug that
    # exists, a quote found in its source…): a 400 then is right, so the acceptance check is for reads only.
    # So may a diff of a proposal with itself (`against` must name another: a rule of two parameters together),
    # and a list's `cursor`, which is valid only as a `next` or `previous` link gives it (signed by the API).
    made_by_the_api = "cursor" in (case.query or {})
    rule_beyond_schema = case.method != "GET" or case.path.endswith("/diff/") or made_by_the_api
    excluded = [positive_data_acceptance] if rule_beyond_schema else []
    case.call_and_validate(headers=editor, excluded_checks=excluded)


def test_real_slugs_are_among_the_examples(db):
    """The examples are slugs of seed records, several of each resource, so the fuzzing reaches real records."""
    from api.rest.urls import router

    models = {prefix: viewset.queryset.model for prefix, viewset, _ in router.registry}
    on_one_record = [path for path in schema.raw_schema["paths"] if "{slug}" in path]
    assert len(on_one_record) >= 24
    for path in on_one_record:
        (parameter,) = [p for p in schema.raw_schema["paths"][path]["get"]["parameters"] if p["name"] == "slug"]
        slugs = [example["value"] for example in parameter["examples"].values()]
        model = models[path.split("/")[3]]
        assert len(slugs) >= min(5, model.objects.count()), path
        assert model.objects.filter(slug__in=slugs).count() == len(slugs), f"{path}: not all are real records"
