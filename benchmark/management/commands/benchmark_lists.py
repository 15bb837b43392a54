"""Flat cost: the uncached cost of the first page of every filtered list, of search, and of deep pages, measured
in process (no HTTP, response cache off) so it shows what the data size does to one request. A benchmark, not a
test: it asserts nothing about speed.

    manage.py benchmark_lists --json seed.json                  # on data at the seed's size
    manage.py benchmark_lists --baseline seed.json --output t.md  # on data at N×: p95 beside the seed's, and the ratio

Each filter of each list (treaty.filtering.LISTINGS) is given a value that occurs in the seed: the first seed
record for a slug filter, a value present in the data for a vocabulary, and so on. A deep page (the last) is
measured twice: asked for by number (OFFSET, slower with depth) and reached the documented way, by the `next`
link of the page before it (a seek); only the latter counts in the summary.
"""

import json
import re
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from benchmark.management.commands.benchmark_data import COPY_REGEX
from treaty import filtering, models
from treaty.filtering import Kind

# The lists the REST API serves, by model (api/rest/urls.py).
BASENAMES = {
    models.Negotiation: "negotiation",
    models.Party: "party",
    models.Person: "person",
    models.Source: "source",
    models.Citation: "citation",
    models.Proposal: "proposal",
    models.Clause: "clause",
    models.Position: "position",
    models.Event: "event",
    models.Topic: "topic",
}
# The deep pages measured: (basename, model, query string before the page).
DEEP = [
    ("clause", models.Clause, ""),
    ("position", models.Position, ""),
    ("position", models.Position, "?ordering=-date"),
]
# Pages asked for by number deep in a list cost more with the data (OFFSET): shown, not counted in the summary.
BY_NUMBER = " by number"
# A word each list's search finds in the seed (a search that finds nothing measures no ranking).
SEARCHES = {"clause": "ceasefire", "position": "territory", "event": "Geneva", "proposal": "peace"}


def original(model):
    """The first record of the seed itself (not a benchmark copy)."""
    queryset = model.objects.order_by("pk")
    if "slug" in {f.name for f in model._meta.fields}:
        queryset = queryset.exclude(slug__regex=COPY_REGEX)
    return queryset.first()


def sample_value(model, declared: filtering.Filter):
    """A value of the filter that matches data, as a query-string value (None: none found)."""
    if declared.kind is Kind.RECORDS:
        record = original(declared.records[0])
        return record.slug if record else None
    if declared.kind is Kind.CHOICES:
        column = {"stance": "stance", "role": "role"}.get(declared.name, declared.name)
        source = models.PartyRole if declared.name == "role" and model is models.Party else model
        if column in {f.name for f in source._meta.fields}:
            value = source.objects.values_list(column, flat=True).order_by(column).first()
            if value:
                return value
        return declared.choices.values[0]
    if declared.kind is Kind.TEXT:  # the start of a value where the filter finds it, else the whole (exact) value
        value = getattr(original(model), declared.name, "") or ""
        start = value[:5]
        return start if start and model.objects.filter(declared.q(start)).exists() else value or None
    if declared.kind is Kind.DATE:
        return "2025-11-20"
    if declared.kind is Kind.BOOLEAN:
        return "true"
    if declared.kind is Kind.NUMBER:
        return "6"
    if declared.kind is Kind.SLUGS:
        return models.Quantity.objects.values_list("measure", flat=True).order_by("measure").first()
    return None


def requests(only: str | None = None) -> list[tuple[str, str]]:
    """(name, path) of every request measured, or of those whose name contains ``only``."""
    paths = []
    for model, basename in BASENAMES.items():
        listing = filtering.LISTINGS[model]
        url = reverse(f"v1:{basename}-list")
        paths.append((f"{basename}", url))
        for declared in listing.filters:
            value = sample_value(model, declared)
            if value is not None:
                paths.append((f"{basename} ?{declared.name}", f"{url}?{declared.name}={value}"))
        for field in listing.ordering:
            paths.append((f"{basename} ?ordering=-{field}", f"{url}?ordering=-{field}"))
        if basename in SEARCHES:
            paths.append((f"{basename} ?q", f"{url}?q={SEARCHES[basename]}"))
            # A search in a declared order instead of relevance: PostgreSQL may read it in that order's index.
            ordered = f"-{listing.ordering[0]}"
            paths.append((f"{basename} ?q&ordering={ordered}", f"{url}?q={SEARCHES[basename]}&ordering={ordered}"))
    # Deep pages: the last page of 20, asked for by number (OFFSET), and reached the documented way, by the
    # `next` link of the page before it (a seek), which is asked for once here, untimed.
    for basename, model, query in DEEP:
        url = reverse(f"v1:{basename}-list") + query
        last = max(1, -(-model.objects.count() // 20))
        name, page = f"{basename} {query}".strip(), f"{url}{'&' if query else '?'}page="
        paths.append((f"{name} page=last{BY_NUMBER}", f"{page}{last}"))
        by_next = f"{name} page=last by next"
        if not only or only in by_next:  # finding its link costs a deep page by number
            paths.append((by_next, next_link(f"{page}{last - 1}") if last > 1 else url))
    return [(name, path) for name, path in paths if not only or only in name]


def next_link(url: str) -> str:
    """The path of the `next` link of the page at ``url``."""
    with override_settings(RESPONSE_CACHE_SECONDS=0, THROTTLE_RATES={"anon": None, "user": None}):
        response = Client(HTTP_HOST="127.0.0.1").get(url)
    if response.status_code != 200:
        raise CommandError(
            f"{url} answered {response.status_code}, so its next link is unknown: at this size a page asked for "
            "by number may run past the statement timeout (DATABASE_STATEMENT_TIMEOUT=0 lifts it)"
        )
    link = urlsplit(response.json()["next"])
    return f"{link.path}?{link.query}"


class Command(BaseCommand):
    help = "The uncached, in-process cost of the first page of every filtered list, of search and of a deep page."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="timed runs of each request (after one warm-up)")
        parser.add_argument(
            "--search-repeat", type=int, help="timed runs of each search and page by number (default: --repeat)"
        )
        parser.add_argument("--json", dest="json_path", help="write the figures here (a baseline)")
        parser.add_argument("--baseline", help="figures of an earlier run (--json) to compare with")
        parser.add_argument("--output", help="also write the table as Markdown to this file")
        parser.add_argument("--only", help="measure only the requests whose name contains this (e.g. page=last)")

    def handle(
        self, *args, repeat, search_repeat=None, json_path=None, baseline=None, output=None, only=None, **options
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        before = _load(baseline)
        results = {}
        for name, path in requests(only):
            # A search, and a deep page asked for by number (shown for contrast, left out of the summary), cost
            # seconds at 10,000x the seed: --search-repeat runs of each.
            few = "?q" in name or name.endswith(BY_NUMBER)
            runs = search_repeat if search_repeat and few else repeat
            row = results[name] = {"path": path}
            # Counted: every request counts its matches. Count kept: the count comes from the shared cache, as
            # it does for every page after the first until the data changes (api/rest/pagination.py).
            for mode, seconds in (("counted", 0), ("kept", 3600)):
                with override_settings(
                    RESPONSE_CACHE_SECONDS=0, COUNT_CACHE_SECONDS=seconds, THROTTLE_RATES={"anon": None, "user": None}
                ):
                    row[mode] = self.measure(client, path, runs)
        lines = [
            f"{models.Clause.objects.count():,} clauses, {models.Position.objects.count():,} positions, "
            f"{models.Event.objects.count():,} events, {models.Citation.objects.count():,} citations; "
            f"{connection.vendor}; {repeat} runs each"
            + (f", {search_repeat} of each search." if search_repeat else "."),
            "",
            "| request | status | rows | SQL | p50 / p95 ms, counted | p50 / p95 ms, count kept |"
            + (" seed rows | seed p95 counted / kept | ÷ seed counted / kept |" if before else ""),
            "|---|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if before else ""),
        ]
        ratios = {"counted": [], "kept": []}
        fuller = {"counted": 0, "kept": 0}  # beyond 2x with more rows on the page than at seed size
        for name, row in results.items():
            counted, kept = row["counted"], row["kept"]
            line = (
                f"| `{re.sub('cursor=[^&]*', 'cursor=…', row['path'])}` | {counted['status']} "
                f"| {counted['rows']} | {counted['queries']} "
                f"| {counted['p50']:.1f} / {counted['p95']:.1f} | {kept['p50']:.1f} / {kept['p95']:.1f} |"
            )
            seed = before.get(name) if before else None
            if seed:
                over = {mode: row[mode]["p95"] / seed[mode]["p95"] for mode in ratios}
                counted_in_summary = not name.endswith(BY_NUMBER)
                more_rows = counted["rows"] > seed["counted"].get("rows", 0)  # an older baseline has no rows
                for mode, ratio in over.items():
                    if counted_in_summary:
                        ratios[mode].append(ratio)
                        fuller[mode] += ratio > 2 and more_rows
                line += (
                    f" {seed['counted'].get('rows', '?')} | {seed['counted']['p95']:.1f} / {seed['kept']['p95']:.1f} "
                    f"| {over['counted']:.2f} / {over['kept']:.2f}{'' if counted_in_summary else ' (not counted)'} |"
                )
            elif before:
                line += " n/a | n/a | n/a |"
            lines.append(line)
        if before:
            lines.append("")
            for mode, values in ratios.items():
                within = sum(ratio <= 2 for ratio in values)
                lines.append(
                    f"p95 ÷ seed p95, {mode}: median {statistics.median(values):.2f}, worst {max(values):.2f}; "
                    f"{within} of {len(values)} requests within 2× (pages asked for by number not counted); of the "
                    f"{len(values) - within} beyond, {fuller[mode]} have more rows on the page than at seed size."
                )
        table = "\n".join(lines)
        self.stdout.write(table)
        if json_path:
            Path(json_path).write_text(json.dumps(results, indent=1))
        if output:
            Path(output).write_text(table + "\n")

    @staticmethod
    def measure(client: Client, path: str, repeat: int) -> dict:
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)  # warm-up, and the SQL count
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return {
            "status": response.status_code,
            "rows": len(response.json()["results"]) if response.status_code == 200 else 0,
            "queries": len(executed),
            "p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        }


def _load(path):
    return json.loads(Path(path).read_text()) if path else None
