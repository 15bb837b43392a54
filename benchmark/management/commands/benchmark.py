"""The benchmark: data at N× the seed, the production server (gunicorn, DEBUG off) beside a floor view returning
the same bytes from the same server, and PostGraphile on the same database; prints req/s, p50, p99, SQL queries
per request and the ratios. A benchmark, not a test: it asserts nothing about speed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/treaty_bench .venv/bin/python manage.py benchmark --scale 100

Load comes from wrk when it is installed (apt install wrk), otherwise from a bounded Python client.
"""

import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from treaty.models import Negotiation

ROOT = Path(settings.BASE_DIR)

GRAPHQL_CLAUSE_LIST = (
    "{ clauseList(pagination: {limit: 50}) { totalCount results { slug number heading state "
    "topics { slug name } quantities { measure qualifier value unit } "
    "positions { direction date holder { slug name } } } } }"
)

# PostGraphile's equivalents, on the same tables (its default inflection of the treaty_* tables).
PG_CLAUSE_LIST = (
    "{ allTreatyClauses(first: 50, orderBy: [PROPOSAL_ID_ASC, NUMBER_ASC, SLUG_ASC]) { totalCount nodes { "
    "slug number heading text textIsVerbatim state version "
    "treatyProposalByProposalId { slug } "
    "treatyClauseTopicsByClauseId { nodes { treatyTopicByTopicId { slug } } } } } }"
)
PG_CLAUSE_DETAIL = (
    '{ treatyClauseBySlug(slug: "us-28-point-plan-06") { slug number heading text textIsVerbatim state version '
    "treatyProposalByProposalId { slug title } "
    "treatyClauseTopicsByClauseId { nodes { treatyTopicByTopicId { slug name } } } "
    "treatyQuantitiesByClauseId { nodes { measure qualifier value unit note } } "
    "treatyClauselineagesByClauseId { nodes { change treatyClauseByDerivedFromId { slug } } } "
    "treatyPositionsByClauseId(orderBy: [SLUG_ASC]) { nodes { slug direction date datePrecision basis summary "
    "treatyPartyByHolderId { slug name } "
    "treatyPositionCitationsByPositionId { nodes { treatyCitationByCitationId { slug quote start end "
    "treatySourceBySourceId { slug outlet url } } } } } } "
    "treatyClauseCitationsByClauseId { nodes { treatyCitationByCitationId { slug quote start end "
    "treatySourceBySourceId { slug outlet url } } } } } }"
)
PG_STANCE_MATRIX = (
    '{ treatyProposalBySlug(slug: "us-28-point-plan") { slug title '
    "treatyClausesByProposalId(orderBy: [NUMBER_ASC]) { nodes { slug number heading "
    "treatyPositionsByClauseId(orderBy: [SLUG_ASC]) { nodes { direction date datePrecision "
    "treatyPartyByHolderId { slug name } "
    "treatyPositionCitationsByPositionId { nodes { treatyCitationByCitationId { slug quote "
    "treatySourceBySourceId { slug } } } } } } } } "
    "treatyPositionsByProposalId(condition: {clauseId: null}) { nodes { direction date "
    "treatyPartyByHolderId { slug } } } } }"
)
PG_GRAPHQL_CLAUSE_LIST = (
    "{ allTreatyClauses(first: 50, orderBy: [PROPOSAL_ID_ASC, NUMBER_ASC, SLUG_ASC]) { totalCount nodes { "
    "slug number heading state "
    "treatyClauseTopicsByClauseId { nodes { treatyTopicByTopicId { slug name } } } "
    "treatyQuantitiesByClauseId { nodes { measure qualifier value unit } } "
    "treatyPositionsByClauseId { nodes { direction date treatyPartyByHolderId { slug name } } } } } }"
)


def cpu_model() -> str:
    """The processor's name (Linux), else its architecture: the same kind of VM may run on another CPU."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def code_version() -> str:
    """The commit measured, and whether the checkout held changes beside it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (", with uncommitted changes" if changed else "")


@dataclass
class Request:
    name: str
    label: str
    path: str
    postgraphile: str | None = None


REQUESTS = [
    Request("clause-list", "GET /api/v1/clauses/?page_size=50", "/api/v1/clauses/?page_size=50", PG_CLAUSE_LIST),
    Request(
        "clause-detail",
        "GET /api/v1/clauses/us-28-point-plan-06/",
        "/api/v1/clauses/us-28-point-plan-06/",
        PG_CLAUSE_DETAIL,
    ),
    Request(
        "stance-matrix",
        "GET /api/v1/proposals/us-28-point-plan/stance-matrix/",
        "/api/v1/proposals/us-28-point-plan/stance-matrix/",
        PG_STANCE_MATRIX,
    ),
    # "army" was a word no clause held when this request was chosen; the re-coded seed has it, so a miss is a
    # word of its own, and "army" stays as a word found (at 10,000x the seed, in 10,000 clauses: see below).
    Request("search-miss", "GET /api/v1/clauses/?q=zeppelin (no match)", "/api/v1/clauses/?q=zeppelin"),
    Request(
        "graphql-list",
        "GraphQL clause list, 50, nested topics/quantities/stances (GET)",
        "/graphql/?" + urllib.parse.urlencode({"query": GRAPHQL_CLAUSE_LIST}),
        PG_GRAPHQL_CLAUSE_LIST,
    ),
    # Last: at 10,000x the seed it runs into the statement timeout under load, and the server is still working
    # off its queue when the next measurement would start.
    Request("search-word", "GET /api/v1/clauses/?q=army", "/api/v1/clauses/?q=army"),
]


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0
    extra: dict = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"the server exited ({process.returncode}) before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"nothing served {url} within {seconds} s")


def settle(base: str, seconds: float = 120) -> None:
    """Waits until the server has worked off what the last load left queued (requests still running after wrk
    stopped, such as searches running into the statement timeout), so the next measurement starts on idle
    workers: until /healthz, which queues behind them, answers at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=seconds):
                pass
        except OSError:
            pass
        if time.monotonic() - started < 0.2:
            return
    raise CommandError(f"the server at {base} was still busy after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    """Ends a server started in its own session, with everything it started (a wrapper's child too)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# Load generators.

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_duration(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk_load(url: str, seconds: int, connections: int, body: str | None, workdir: Path) -> Load:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    if body is not None:
        script = workdir / "post.lua"
        script.write_text(
            f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\nwrk.headers["Content-Type"] = "application/json"\n'
        )
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = parse_duration(re.search(r"\s50%\s+(\S+)", output)[1])
    p99 = parse_duration(re.search(r"\s99%\s+(\S+)", output)[1])
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += (
        sum(
            int(n)
            for n in re.findall(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)[0]
        )
        if "Socket errors" in output
        else 0
    )
    return Load(rps, p50, p99, errors)


def python_load(url: str, seconds: int, connections: int, body: str | None, max_requests: int = 200_000) -> Load:
    """A bounded closed-loop client: `connections` keep-alive connections for `seconds` or `max_requests`."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine = []
        while time.monotonic() < deadline and len(latencies) + len(mine) < max_requests:
            start = time.perf_counter()
            try:
                if body is None:
                    conn.request("GET", target)
                else:
                    conn.request("POST", target, body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn.close()
                conn = HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:
        return Load(0.0, 0.0, 0.0, errors[0])

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return Load(len(latencies) / elapsed, percentile(50), percentile(99), errors[0])


class Command(BaseCommand):
    help = "Benchmark the production server at N× the seed beside a floor view and PostGraphile."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="data size, in multiples of the seed")
        parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--rounds", type=int, default=3, help="alternating floor/warm rounds (median kept)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (and PostGraphile processes)")
        parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/2")
        parser.add_argument("--no-postgraphile", action="store_true")
        parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk is here")
        parser.add_argument("--output", help="also write the results as a Markdown table to this file")
        parser.add_argument(
            "--smoke",
            action="store_true",
            help="CI: 1 s of load with 2 connections per measurement; fails on any error answer, never on speed",
        )

    def handle(self, *args, **options):
        if options["smoke"]:
            options.update(duration=1, connections=2, rounds=1)
        self.options = options
        self.workdir = Path(tempfile.mkdtemp(prefix="treaty-benchmark-"))
        try:
            self.run()
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def run(self):
        options = self.options
        self.say(f"== Data at ×{options['scale']} the seed ({connection.vendor})")
        call_command("migrate", verbosity=0)
        if not Negotiation.objects.exists():
            call_command("seed", verbosity=0)
        call_command("benchmark_data", scale=options["scale"], verbosity=1)

        self.say("== SQL queries per request (in process; cold: cache off, warm: from the cache)")
        queries = self.count_queries()

        use_wrk = shutil.which("wrk") and not options["python_client"]
        self.say(
            f"== Load: {'wrk' if use_wrk else 'the Python client'}, {options['connections']} connections, "
            f"{options['duration']} s each, {options['workers']} workers"
        )
        self.load = (
            (lambda url, body=None: wrk_load(url, options["duration"], options["connections"], body, self.workdir))
            if use_wrk
            else (lambda url, body=None: python_load(url, options["duration"], options["connections"], body))
        )

        self.measured = [r for r in REQUESTS if r.name not in self.refused]
        results = {r.name: {"request": r, "queries": queries[r.name]} for r in self.measured}
        floor_dir = self.workdir / "floor"
        floor_dir.mkdir()

        server, base = self.start_server(floor_dir, cache=True)
        try:
            for request in self.measured:
                with urllib.request.urlopen(base + request.path, timeout=30) as response:
                    if response.status != 200:
                        raise CommandError(f"{request.path}: {response.status}")
                    body = response.read()
                (floor_dir / f"{request.name}.body").write_bytes(body)
                results[request.name]["bytes"] = len(body)
            # Floor and warm alternate, round after round, and each keeps its median round: the load other
            # processes put on the machine drifts, and a ratio of two runs minutes apart would measure that.
            rounds = {request.name: {"floor": [], "warm": []} for request in self.measured}
            for number in range(1, options["rounds"] + 1):
                for request in self.measured:
                    rounds[request.name]["floor"].append(
                        self.measure(f"floor {request.name} #{number}", f"{base}/benchmark-floor/{request.name}")
                    )
                    rounds[request.name]["warm"].append(
                        self.measure(f"warm  {request.name} #{number}", base + request.path)
                    )
            for name, kinds in rounds.items():
                for kind, loads in kinds.items():
                    results[name][kind] = sorted(loads, key=lambda load: load.rps)[len(loads) // 2]
        finally:
            stop(server)

        server, base = self.start_server(floor_dir, cache=False)
        try:
            for request in self.measured:
                settle(base)
                results[request.name]["cold"] = self.measure(f"cold  {request.name}", base + request.path)
        finally:
            stop(server)

        if not options["no_postgraphile"] and connection.vendor == "postgresql":
            self.run_postgraphile(results)

        table = self.table(results)
        self.say("\n" + table)
        if options["output"]:
            Path(options["output"]).write_text(table + "\n")
            self.say(f"(written to {options['output']})")
        failed = [
            row["request"].label
            for row in results.values()
            if any(isinstance(load, Load) and (load.errors or not load.rps) for load in row.values())
        ]
        if failed:
            raise CommandError(f"error answers or no answers under load: {failed}")

    def count_queries(self) -> dict:
        counts = {}
        self.refused = {}
        client = Client(HTTP_HOST="127.0.0.1")

        def counted(path: str) -> tuple[int, int]:
            executed = []

            def count(execute, sql, params, many, context):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = client.get(path)
            if path.startswith("/graphql/") and "errors" in response.json():
                # A GraphQL error is a 200 too; timing it would measure nothing.
                raise CommandError(f"{path} answered errors: {response.json()['errors']}")
            return response.status_code, len(executed)

        for request in REQUESTS:
            with override_settings(RESPONSE_CACHE_SECONDS=0, COUNT_CACHE_SECONDS=0):
                status, cold = counted(request.path)
            if status != 200:
                # Not measured (a search past the statement timeout at large scales answers 503): the table says so.
                self.say(f"  {request.name:<14} answered {status}: not measured")
                self.refused[request.name] = status
                continue
            client.get(request.path)  # fills the cache
            _, warm = counted(request.path)
            counts[request.name] = (cold, warm)
            self.say(f"  {request.name:<14} cold {cold:>3}   warm {warm:>3}")
        return counts

    def server_env(self, floor_dir: Path, cache: bool, port: int) -> dict:
        return {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "CACHE_URL": self.options["cache_url"],
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
            "RESPONSE_CACHE_SECONDS": "3600" if cache else "0",
            "COUNT_CACHE_SECONDS": "3600" if cache else "0",  # cold: every count made, as PostGraphile's
            "THROTTLE_ANON_RATE": "none",
            "THROTTLE_USER_RATE": "none",
            "BENCHMARK_FLOOR_DIR": str(floor_dir),
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(self.options["workers"]),
            # No recycling: a worker replaced mid-run spends a second importing (the floor's 0.4-0.8 s p99s),
            # and would load the checkout's files as they are then, not the code the run began with.
            "WEB_MAX_REQUESTS": "0",
            "LOG_LEVEL": "warning",
        }

    def start_server(self, floor_dir: Path, cache: bool):
        port = free_port()
        env = self.server_env(floor_dir, cache, port)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/readyz", server)
        return server, base

    def measure(self, label: str, url: str, body: str | None = None) -> Load:
        # A short warm-up (connections, worker imports), then the measured run.
        python_load(url, 1, 2, body, max_requests=50)
        result = self.load(url, body)
        note = f"  ({result.errors} errors)" if result.errors else ""
        self.say(
            f"  {label:<28} {result.rps:>9.1f} req/s  p50 {result.p50_ms:>8.2f} ms  p99 {result.p99_ms:>8.2f} ms{note}"
        )
        return result

    def run_postgraphile(self, results: dict) -> None:
        cli = ROOT / "node_modules" / ".bin" / "postgraphile"
        node = Path(sys.executable).parent / "node"
        if not cli.exists() or not node.exists():
            self.say("== PostGraphile: not installed (scripts/setup.sh runs npm ci): skipped")
            return
        port = free_port()
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "PATH": f"{node.parent}:{os.environ['PATH']}", "NODE_ENV": "production"}
        command = [
            str(node),
            str(cli),
            "-P",
            "postgraphile/presets/amber",
            "-c",
            url,
            "-s",
            "public",
            "-n",
            "127.0.0.1",
            "-p",
            str(port),
        ]
        self.say(f"== PostGraphile on 127.0.0.1:{port}, same database (one Node process)")
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        endpoint = f"http://127.0.0.1:{port}/graphql"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    self.postgraphile_query(endpoint, "{ __typename }")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        message = server.stderr.read().decode()[-2000:]
                        raise CommandError(f"PostGraphile did not start: {message}") from None
                    time.sleep(0.5)
            for request in self.measured:
                if request.postgraphile is None:
                    continue
                answer = self.postgraphile_query(endpoint, request.postgraphile)
                if answer.get("errors"):
                    self.say(f"  {request.name}: PostGraphile says {answer['errors'][0]['message']}: skipped")
                    continue
                results[request.name]["postgraphile"] = self.measure(
                    f"pg    {request.name}", endpoint, json.dumps({"query": request.postgraphile})
                )
        finally:
            stop(server)

    @staticmethod
    def postgraphile_query(endpoint: str, query: str) -> dict:
        request = urllib.request.Request(
            endpoint, data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def table(self, results: dict) -> str:
        options = self.options
        machine = (
            f"{platform.node()}: {cpu_model()}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
            f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}".rstrip()
            + "; load average at the end {:.1f} / {:.1f} / {:.1f} (1 / 5 / 15 min)".format(*os.getloadavg())
        )
        lines = [
            f"Data ×{options['scale']} the seed; gunicorn {options['workers']} gthread workers, DEBUG off; "
            f"{options['connections']} connections × {options['duration']} s per run, floor and warm the median of "
            f"{options['rounds']} alternating rounds; cache {options['cache_url'].split('://')[0]}.",
            f"Machine: {machine}.",
            f"Code: {code_version()}.",
            "",
            "| request | bytes | SQL cold/warm | warm req/s | warm p50 / p99 ms | cold req/s | cold p50 / p99 ms "
            "| floor req/s | warm ÷ floor | cold ÷ floor | PostGraphile req/s | cold ÷ PostGraphile |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in results.values():
            warm, cold, floor = row["warm"], row["cold"], row["floor"]
            pg = row.get("postgraphile")
            lines.append(
                f"| {row['request'].label} | {row['bytes']:,} | {row['queries'][0]} / {row['queries'][1]} "
                f"| {warm.rps:,.0f} | {warm.p50_ms:.1f} / {warm.p99_ms:.1f} | {cold.rps:,.0f} "
                f"| {cold.p50_ms:.1f} / {cold.p99_ms:.1f} | {floor.rps:,.0f} | {warm.rps / floor.rps:.2f} "
                f"| {cold.rps / floor.rps:.3f} | {f'{pg.rps:,.0f}' if pg else 'n/a'} "
                f"| {f'{cold.rps / pg.rps:.2f}' if pg else 'n/a'} |"
            )
        for request in REQUESTS:
            if request.name in self.refused:
                lines.append(f"| {request.label} | answered {self.refused[request.name]}: not measured |" + " |" * 10)
        errors = {
            name: {k: v.errors for k, v in row.items() if isinstance(v, Load) and v.errors}
            for name, row in results.items()
        }
        errors = {k: v for k, v in errors.items() if v}
        if errors:
            lines += ["", f"Errors (non-2xx or socket): {errors}"]
        return "\n".join(lines)
