"""The warm path (api/caching.py): public GETs come from the shared cache, every write invalidates them before its
answer, private and error answers are never cached, and entity tags name the bytes sent."""

import json
import uuid

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from redis.connection import Connection

from api import caching
from api.cache_backends import RedisCache
from tests.test_admin import admin_url, form_data
from tests.test_import_export import clause_row, preview
from tests.test_import_export import url as import_url
from treaty.models import Clause, Position, Topic

pytestmark = pytest.mark.django_db

API = "/api/v1"
PLAN = "us-28-point-plan"
CLAUSE = f"{PLAN}-06"
DETAIL = f"{API}/clauses/{CLAUSE}/"
LIST = f"{API}/clauses/?proposal={PLAN}&page_size=50"


def graphql_get(client, query):
    return client.get("/graphql/", {"query": query})


def headers_but_counts(response) -> dict:
    """An answer's headers but X-Cache and the rate limit's, which change from one request to the next."""
    return {name: value for name, value in response.items() if name != "X-Cache" and "RateLimit" not in name}


@pytest.fixture
def anonymous():
    return Client()


def test_a_repeated_public_get_is_served_from_the_cache_without_sql(anonymous, django_assert_num_queries):
    first = anonymous.get(LIST)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = anonymous.get(LIST)
    assert second.headers["X-Cache"] == "hit"
    assert second.content == first.content
    assert headers_but_counts(second) == headers_but_counts(first)
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Type"] == "application/json"
    assert second.headers["Cache-Control"] == "public, no-cache"


def test_graphql_queries_by_get_are_cached_too(anonymous, django_assert_num_queries):
    query = f'{{ clause(slug: "{CLAUSE}") {{ heading positions {{ direction }} }} }}'
    first = graphql_get(anonymous, query)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert graphql_get(anonymous, query).content == first.content


def test_if_none_match_gets_a_304_with_the_same_tag(anonymous):
    tag = anonymous.get(DETAIL).headers["ETag"]
    for header in (tag, f"W/{tag}", f'"other", {tag}'):
        response = anonymous.get(DETAIL, headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["ETag"] == tag
    assert anonymous.get(DETAIL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_detail_tag_names_the_bytes_sent_including_embedded_stances(anonymous, client_as):
    response = anonymous.get(DETAIL)
    clause = Clause.objects.get(slug=CLAUSE)
    version, body_digest = response.headers["ETag"].strip('"').split(".")
    assert version == str(clause.version)
    assert body_digest == caching.digest(response.content)
    # A direction on the clause changes; the clause record (and its version) does not.
    position = Position.objects.filter(clause=clause).first()
    position.summary = "Summarised again."
    position.save()
    again = anonymous.get(DETAIL)
    assert "Summarised again." in again.content.decode()
    assert again.headers["ETag"] != response.headers["ETag"]
    assert again.headers["ETag"].startswith(f'"{clause.version}.')
    assert anonymous.get(DETAIL, headers={"If-None-Match": response.headers["ETag"]}).status_code == 200
    # For a write, the tag's version part is what counts: the direction change does not block an edit of the clause.
    editor = client_as("editor")
    patch = editor.patch(
        DETAIL, {"heading": "Edited"}, content_type="application/json", headers={"If-Match": response.headers["ETag"]}
    )
    assert patch.status_code == 200, patch.content
    assert patch.headers["ETag"] == anonymous.get(DETAIL).headers["ETag"]


def test_a_rest_write_is_seen_by_the_very_next_read(anonymous, client_as):
    tag = anonymous.get(DETAIL).headers["ETag"]
    assert anonymous.get(LIST).headers["X-Cache"] == "miss"
    editor = client_as("editor")
    response = editor.patch(
        DETAIL, {"heading": "Rewritten"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert response.status_code == 200
    assert anonymous.get(DETAIL).json()["heading"] == "Rewritten"
    listed = {item["slug"]: item for item in anonymous.get(LIST).json()["results"]}
    assert listed[CLAUSE]["heading"] == "Rewritten"


def test_a_graphql_mutation_is_seen_by_the_very_next_read(anonymous, token_for):
    query = f'{{ clause(slug: "{CLAUSE}") {{ heading version }} }}'
    before = graphql_get(anonymous, query).json()["data"]["clause"]
    mutation = (
        f'mutation {{ updateClause(slug: "{CLAUSE}", version: {before["version"]}, '
        'changes: {heading: "Changed by GraphQL"}) { version } }'
    )
    response = Client().post(
        "/graphql/",
        {"query": mutation},
        content_type="application/json",
        headers={"Authorization": f"Token {token_for('editor')}"},
    )
    assert "errors" not in response.json(), response.json()
    assert graphql_get(anonymous, query).json()["data"]["clause"]["heading"] == "Changed by GraphQL"
    assert anonymous.get(DETAIL).json()["heading"] == "Changed by GraphQL"


def test_an_admin_change_is_seen_by_the_very_next_read(anonymous, admin_client):
    topic = Topic.objects.get(slug="ceasefire")
    assert anonymous.get(f"{API}/topics/ceasefire/").json()["description"] != "Edited in the admin."
    url = admin_url(Topic, "change", topic.pk)
    data = form_data(
        admin_client,
        url,
        slug=topic.slug,
        name=topic.name,
        description="Edited in the admin.",
        pax_categories=topic.pax_categories,
        read_version=topic.version,
    )
    assert admin_client.post(url, data).status_code == 302
    assert anonymous.get(f"{API}/topics/ceasefire/").json()["description"] == "Edited in the admin."


def test_a_related_list_change_is_seen_by_the_very_next_read(anonymous):
    assert "water" not in anonymous.get(DETAIL).content.decode()
    Clause.objects.get(slug=CLAUSE).topics.add(Topic.objects.create(slug="water", name="Water"))
    assert "water" in [topic["slug"] for topic in anonymous.get(DETAIL).json()["topics"]]


def test_an_import_is_seen_by_the_very_next_read(anonymous, admin_client):
    assert "import-one" not in anonymous.get(LIST).content.decode()
    response = preview(admin_client, [clause_row("import-one", 91, proposal=PLAN, topics="ceasefire")])
    assert (
        admin_client.post(import_url(Clause, "process_import"), response.context["confirm_form"].initial).status_code
        == 302
    )
    assert "import-one" in anonymous.get(f"{LIST}&page=2").content.decode() + anonymous.get(LIST).content.decode()
    assert anonymous.get(f"{API}/clauses/import-one/").status_code == 200


def test_seed_invalidates_what_it_rewrites(anonymous):
    cached = anonymous.get(DETAIL).content
    # A write without model signals (as QuerySet.update) is invisible to the cache …
    Clause.objects.filter(slug=CLAUSE).update(heading="Changed behind the cache's back")
    assert anonymous.get(DETAIL).content == cached
    # … until something bumps the data version: seed --restore does (it saves what it restores, with signals).
    call_command("seed", restore=True, interactive=False, verbosity=0)
    after_seed = anonymous.get(DETAIL)
    assert after_seed.headers["X-Cache"] == "miss"
    caching.bump_data_version()
    assert anonymous.get(DETAIL).content == after_seed.content  # what a fresh render gives


def test_the_version_is_bumped_again_after_the_commit(django_capture_on_commit_callbacks):
    clause = Clause.objects.get(slug=CLAUSE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        clause.heading = "One"
        clause.save()
        clause.topics.clear()
        during = caching.data_version()
    assert len(callbacks) == 1  # one bump per transaction, however many writes
    assert caching.data_version() != during


def test_requests_with_credentials_are_never_cached(anonymous, client_as, admin_client):
    editor = client_as("editor")
    for client in (editor, admin_client):
        response = client.get(DETAIL)
        assert response.status_code == 200
        assert "X-Cache" not in response.headers
        assert response.headers["Cache-Control"] == "private, no-cache"
    assert anonymous.get(DETAIL).headers["X-Cache"] == "miss"  # nothing the editor read was stored
    assert "X-Cache" not in editor.get(DETAIL).headers  # nor is the public copy served to them


def test_error_answers_and_writes_are_never_cached(anonymous):
    for path in (f"{API}/clauses/no-such-clause/", f"{API}/clauses/?page_size=1000", f"{API}/clauses/?bogus=1"):
        assert anonymous.get(path).status_code in (400, 404)
        again = anonymous.get(path)
        assert again.status_code in (400, 404) and again.headers.get("X-Cache") != "hit", path
    for _ in range(2):
        response = graphql_get(anonymous, "{ clause(slug: 1) { heading } }")
        assert "errors" in response.json() and response.headers.get("X-Cache") != "hit"
    assert anonymous.post(f"{API}/clauses/", {}, content_type="application/json").status_code == 401
    assert "X-Cache" not in anonymous.post(f"{API}/clauses/", {}, content_type="application/json").headers


def test_the_key_holds_the_host_and_the_accept_header(anonymous, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    here = anonymous.get(DETAIL).json()["url"]
    there = anonymous.get(DETAIL, headers={"host": "other.example.org"}).json()["url"]
    assert here.startswith("http://testserver/") and there.startswith("http://other.example.org/")
    compact = anonymous.get(DETAIL).content
    indented = anonymous.get(DETAIL, headers={"accept": "application/json; indent=2"}).content
    assert json.loads(indented) == json.loads(compact) and indented != compact


# Another worker: another cache client on the same backend (another process would hold nothing more).


def shared_backends(tmp_path):
    yield "file", lambda: FileBasedCache(str(tmp_path / "shared"), {})
    yield "redis", lambda: RedisCache("redis://127.0.0.1:6379/2", {"KEY_PREFIX": "serve-test"})


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_a_write_on_one_worker_is_seen_at_once_by_a_read_on_another(backend, tmp_path, monkeypatch, client_as):
    make = dict(shared_backends(tmp_path))[backend]
    worker_a, worker_b = make(), make()
    worker_b.clear()
    reader = Client()

    monkeypatch.setattr(caching, "cache", worker_b)
    tag = reader.get(DETAIL).headers["ETag"]
    assert reader.get(DETAIL).headers["X-Cache"] == "hit"

    monkeypatch.setattr(caching, "cache", worker_a)  # the write's signals bump the version through worker A
    editor = client_as("editor")
    response = editor.patch(
        DETAIL, {"heading": "Seen everywhere"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert response.status_code == 200

    monkeypatch.setattr(caching, "cache", worker_b)
    after = reader.get(DETAIL)
    assert after.headers["X-Cache"] == "miss"
    assert after.json()["heading"] == "Seen everywhere"
    worker_b.clear()


def test_with_the_cache_down_answers_come_from_the_database(anonymous, settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    response = anonymous.get(DETAIL)
    assert response.status_code == 200
    assert response.json()["slug"] == CLAUSE
    assert "X-Cache" in response.headers and response.headers["X-Cache"] == "miss"
    assert "response cache unavailable" in caplog.text


def test_a_host_not_allowed_is_a_400_not_a_cache_entry(anonymous):
    assert anonymous.get(DETAIL, headers={"host": "evil.example.org"}).status_code == 400


def test_with_the_response_cache_off_public_answers_still_revalidate(anonymous, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    first = anonymous.get(DETAIL)
    assert "X-Cache" not in first.headers
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert anonymous.get(DETAIL, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_on_redis_with_rate_limits_a_cached_answer_costs_one_round_trip_and_a_write_is_seen(
    settings, monkeypatch, client_as
):
    """The rate limiter counts and reads the cached answer in one pipeline; what it read is what the response
    cache serves, so a write (which bumps the data version) is seen by the very next anonymous read."""
    settings.CACHES = {
        "default": {
            "BACKEND": "api.cache_backends.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/2",
            "KEY_PREFIX": f"one-trip-{uuid.uuid4().hex}",
        }
    }
    settings.THROTTLE_RATES = {"anon": "1000/minute", "user": "1000/minute", "auth_failure": None}
    sent = []
    send = Connection.send_packed_command
    monkeypatch.setattr(Connection, "send_packed_command", lambda self, *a, **k: sent.append(1) or send(self, *a, **k))
    reader = Client()

    assert reader.get(DETAIL).headers["X-Cache"] == "miss"
    sent.clear()
    hit = reader.get(DETAIL)
    assert hit.headers["X-Cache"] == "hit" and hit.headers["RateLimit-Remaining"] == "998"
    assert len(sent) == 1

    response = client_as("editor").patch(
        DETAIL, {"heading": "Seen at once"}, content_type="application/json", headers={"If-Match": hit.headers["ETag"]}
    )
    assert response.status_code == 200
    after = reader.get(DETAIL)
    assert after.headers["X-Cache"] == "miss" and after.json()["heading"] == "Seen at once"
    assert reader.get(DETAIL).headers["X-Cache"] == "hit"
