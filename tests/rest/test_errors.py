"""Bad requests get problem details (RFC 9457) with a clear message; never a 500 or an HTML page."""

import pytest
from django.test import Client

from treaty import analyses

# The requests name records of the made-up negotiation of tests/factories.py.
pytestmark = pytest.mark.usefixtures("world")

PLAN = "northland-five-point-plan"


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/clauses/", {"colour": "red"}, "colour"),
        ("/clauses/", {"format": "json"}, "format"),
        (f"/clauses/{PLAN}-02/", {"page": "1"}, "page"),
        (f"/clauses/{PLAN}-02/history/", {"topic": "lake-ceasefire"}, "topic"),
        (f"/proposals/{PLAN}/diff/", {"against": "joint-revised-framework", "versus": "x"}, "versus"),
    ],
)
def test_unknown_query_parameters_are_refused(api, path, params, parameter):
    body = api.problem(path, params)
    assert list(body["errors"]) == [parameter]
    assert "Unknown query parameter" in body["errors"][parameter][0]


def test_the_refusal_lists_the_parameters_an_endpoint_accepts(api):
    body = api.problem("/topics/", {"topics": "x"})
    assert body["errors"]["topics"] == [
        "Unknown query parameter. This endpoint accepts: cursor, ordering, page, page_size, q."
    ]


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"page": "0"}, "page", "Must be between 1 and 1000000, not 0."),
        ({"page": "-1"}, "page", "Must be between 1 and 1000000, not -1."),
        ({"page": "two"}, "page", "A whole number is required, not “two”."),
        ({"page": "1.5"}, "page", "A whole number is required, not “1.5”."),
        ({"page_size": "0"}, "page_size", "Must be between 1 and 100, not 0."),
        ({"page_size": "101"}, "page_size", "Must be between 1 and 100, not 101."),
        ({"page_size": "lots"}, "page_size", "A whole number is required, not “lots”."),
    ],
)
def test_bad_pages_and_page_sizes_are_refused_not_corrected(api, params, parameter, message):
    body = api.problem("/clauses/", params)
    assert body["errors"] == {parameter: [message]}
    assert message in body["detail"]


def test_the_largest_page_size_is_accepted(api):
    body = api.ok("/clauses/", {"page_size": 100})
    assert len(body["results"]) == min(100, body["count"])


def test_a_page_past_the_last_is_not_found(api):
    body = api.problem("/clauses/", {"proposal": PLAN, "page_size": 2, "page": 4}, status=404)
    assert body["detail"] == "Page 4 is past the last page, 3."


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/clauses/", {"direction": "loves"}, "direction"),
        ("/clauses/", {"state": "PROPOSED"}, "state"),
        ("/clauses/", {"number": "0"}, "number"),
        ("/clauses/", {"number": "six"}, "number"),
        ("/clauses/", {"number": "99999999999999999999"}, "number"),
        ("/clauses/", {"topic": "not a slug"}, "topic"),
        ("/clauses/", {"ordering": "colour"}, "ordering"),
        ("/clauses/", {"ordering": "number,-text"}, "ordering"),
        ("/positions/", {"date_after": "2025-13-01"}, "date_after"),
        ("/positions/", {"date_before": "25/11/2025"}, "date_before"),
        ("/positions/", {"current": "yes"}, "current"),
        ("/sources/", {"has_text": "1"}, "has_text"),
        ("/events/", {"kind": "party"}, "kind"),
        ("/proposals/", {"stage": ""}, "stage"),
        ("/sources/", {"ordering": "100%s"}, "ordering"),
        ("/sources/", {"has_text": "%(x)s"}, "has_text"),
        ("/sources/", {"kind": "%"}, "kind"),
        ("/sources/", {"date_after": "%d"}, "date_after"),
    ],
)
def test_malformed_filter_values_are_refused(api, path, params, parameter):
    body = api.problem(path, params)
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/clauses/", {"proposal": "no-such-plan"}, "No proposal has the slug “no-such-plan” (parameter `proposal`)."),
        ("/clauses/", {"topic": ["lake-ceasefire", "weather"]}, "No topic has the slug “weather” (parameter `topic`)."),
        ("/events/", {"participant": "nobody"}, "No person or party has the slug “nobody” (parameter `participant`)."),
    ],
)
def test_unknown_slugs_in_filters_are_not_found_and_named(api, path, params, message):
    assert api.problem(path, params, status=404)["detail"] == message


@pytest.mark.parametrize("resource", ["clauses", "proposals", "parties", "people", "topics", "citations"])
def test_unknown_slug_is_not_found_and_named(api, resource):
    body = api.problem(f"/{resource}/no-such-thing/", status=404)
    assert "“no-such-thing”" in body["detail"]


@pytest.mark.parametrize(
    "path", ["/clauses/no-such-clause/history/", "/negotiations/nope/timeline/", "/proposals/nope/stance-matrix/"]
)
def test_analyses_of_unknown_records_are_not_found(api, path):
    assert "“no" in api.problem(path, status=404)["detail"]


def test_diff_needs_against(api):
    body = api.problem(f"/proposals/{PLAN}/diff/")
    assert body["errors"] == {"against": ["Give the slug of the proposal to compare with."]}


def test_diff_against_an_unknown_proposal_is_not_found(api):
    body = api.problem(f"/proposals/{PLAN}/diff/", {"against": "no-such-plan"}, status=404)
    assert body["detail"] == "No proposal has the slug “no-such-plan” (parameter `against`)."


@pytest.mark.parametrize(("against", "message"), [(PLAN, "not with itself"), ("a b", "letters, digits")])
def test_diff_against_itself_or_a_malformed_slug_is_refused(api, against, message):
    body = api.problem(f"/proposals/{PLAN}/diff/", {"against": against})
    assert message in body["errors"]["against"][0]


@pytest.mark.parametrize("path", ["/nothing/", "/clauses/a/b/c/", "/clauses/not%20a%20slug/", "/../v2/"])
def test_unknown_api_urls_get_problem_details(api, path):
    assert api.problem(path, status=404)["detail"].startswith("There is no API resource at")


def test_api_url_without_trailing_slash_gets_problem_details(client):
    response = client.get("/api/v1/clauses")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", [f"/proposals/{PLAN}/stance-matrix/", "/negotiations/", "/negotiations/northland-southland-talks/"]
)
def test_writes_are_not_allowed_on_analyses_and_negotiations(api, method, path):
    body = api.problem(path, status=405, method=method)
    assert body["detail"] == f'Method "{method.upper()}" not allowed.'


def test_not_allowed_answer_says_what_is(client):
    response = client.delete(f"/api/v1/proposals/{PLAN}/stance-matrix/")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    response = client.delete(f"/api/v1/clauses/{PLAN}-02/")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {
        "GET",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
    }


def test_head_and_options_are_allowed(db, client):
    assert client.head("/api/v1/clauses/").status_code == 200
    assert client.options("/api/v1/clauses/").status_code == 200


def test_html_is_never_served_even_when_asked_for(client):
    response = client.get("/api/v1/clauses/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 406


def test_a_nul_character_in_free_text_reads_as_a_space(api):
    assert api.slugs("/clauses/", {"q": "armed\x00forces"}) == api.slugs("/clauses/", {"q": "armed forces"})
    own = {"negotiation": "northland-southland-talks"}
    found = api.slugs("/clauses/", {**own, "q": "armed\x00forces"})
    assert set(found) == {f"{PLAN}-02", "joint-revised-framework-01"}
    assert api.ok("/people/", {"name": "\x00"})["count"] == api.ok("/people/")["count"]


def test_an_unexpected_error_is_a_problem_not_a_stack_trace(db, monkeypatch):
    def fail(negotiation):
        raise RuntimeError("internal details that must not leak")

    monkeypatch.setattr(analyses, "negotiation_timeline", fail)
    response = Client(raise_request_exception=False).get("/api/v1/negotiations/northland-southland-talks/timeline/")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 500
    assert "internal details" not in response.content.decode()


def test_a_bad_host_is_a_problem_too(db):
    response = Client(HTTP_HOST="evil.example").get("/api/v1/clauses/")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"


def test_pages_outside_the_api_keep_djangos_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "problem" not in response.headers["Content-Type"]
