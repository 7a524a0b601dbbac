#!/usr/bin/env python3
"""Time searches through a running `tamis serve` (HTTP and JSON included).

Usage: search_latency.py PORT [ROUNDS]. Runs a fixed mix of queries (words,
phrases, field prefixes, facet filters, date orders, a deep page) ROUNDS
times (default 10) and prints "p50 … ms, p95 … ms, max … ms". Shared by
bench/ingest.sh and bench/scale.sh so both measure the same thing.
"""

import json
import statistics
import sys
import time
import urllib.request

QUERIES = [
    "q=facture",
    "q=%22budget+meeting%22",
    "q=meeting&verdict=verified",
    "q=&sort=newest",
    "q=subject%3Apresse",
    "q=budget&has_attachment=true&sort=oldest",
    "q=debat+television+radio",
    "q=securite&offset=200",
]


def main() -> None:
    port = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?{query}") as response:
                json.load(response)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
