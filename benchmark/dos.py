"""Does the security review's denial-of-service GraphQL query still delay anyone? A benchmark, not a test.

Measures an ordinary request (a REST list and a GraphQL query) alone, then while four clients send the review's
query over and over, side by side in one run, and prints the ratios. Against a running server (loopback only):

    .venv/bin/python manage.py runserver 127.0.0.1:8000 --noreload &   # or the production server
    .venv/bin/python benchmark/dos.py --url http://127.0.0.1:8000 --seconds 10

With the cost limit (api/graphql/cost.py) each copy is refused in milliseconds, so the ratio stays near 1; before
it, each copy held a worker for minutes and four of them stalled the service.
"""

import argparse
import json
import statistics
import threading
import time
import urllib.error
import urllib.request

DOS = (
    '{ clause(slug:"us-28-point-plan-02") { proposal { clauses { proposal { clauses { proposal { clauses '
    "{ slug } } } } } } } }"
)
ORDINARY_GRAPHQL = '{ proposal(slug: "us-28-point-plan") { title clauses { number heading } } }'


def request(url: str, query: str | None = None) -> tuple[int, float, bytes]:
    data = json.dumps({"query": query}).encode() if query else None
    headers = {"Content-Type": "application/json"} if query else {}
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=120) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, time.perf_counter() - started, body


def ordinary_latencies(base: str, seconds: float) -> list[float]:
    latencies, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        latencies.append(request(f"{base}/api/v1/clauses/?page_size=20")[1])
        latencies.append(request(f"{base}/graphql/", ORDINARY_GRAPHQL)[1])
    return latencies


def attacker(base: str, stop: threading.Event, results: list) -> None:
    while not stop.is_set():
        status, elapsed, body = request(f"{base}/graphql/", DOS)
        results.append((status, elapsed, body))


def summary(latencies: list[float]) -> str:
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else max(latencies)
    return f"{len(latencies)} requests, median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--attackers", type=int, default=4)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    if not base.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("Point the benchmark at a server on this machine (loopback) only.")

    alone = ordinary_latencies(base, args.seconds)
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=attacker, args=(base, stop, results)) for _ in range(args.attackers)]
    for thread in threads:
        thread.start()
    attacked = ordinary_latencies(base, args.seconds)
    stop.set()
    for thread in threads:
        thread.join()

    print(f"ordinary requests alone:                 {summary(alone)}")
    print(f"ordinary requests with {args.attackers} DoS clients:     {summary(attacked)}")
    print(f"median ratio (attacked / alone):         {statistics.median(attacked) / statistics.median(alone):.2f}")
    statuses = sorted({status for status, _, _ in results})
    print(f"DoS queries sent: {len(results)}, statuses {statuses}, {summary([elapsed for _, elapsed, _ in results])}")
    if results:
        print("the answer to one:", results[0][2][:300].decode(errors="replace"))


if __name__ == "__main__":
    main()
