#!/usr/bin/env python3
"""What any causal controller pays on the NASA slice of the sweep, against a clairvoyant one.

The sweep replays NASA days 4-6 at 60x: each second carries one recorded minute's count.
A controller that sees only the past must have a pod asked for 12 s before it serves
(11 s mean start + a 1 s decision period), so it plans from an estimate of the level made
12 s earlier. This script gives that controller every advantage the simulator does not:
it knows, for the whole slice at once, the distribution of (count 12 s ahead / its own
estimate) and scales by that ratio's q-quantile, scales down instantly and pays nothing
for integer pods beyond the clairvoyant's own rounding. The clairvoyant needs
ceil(count / capacity) pods in each second; both sides run pods at 100 %.

The ratio of pod-seconds it prints is a lower bound on the cost of covering a share q of
the seconds, for a controller that plans from the mean of the last w seconds.

Run from the repository root:  python3 docs/results/predictive-2026-12-04/causal_bound.py
"""

import csv
import math
import sys

TRACE = "resources/traces/nasa_http_jul1995_per_minute.csv"
FIRST_MINUTE = 72 * 60  # @from=72h
MINUTES = 72 * 60       # @hours=72
LEAD_S = 12             # pod start (1 s + 10 s) + the decision period
CAPACITY = 1.0 / 0.150  # requests per second a one-slot pod serves at 150 ms


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else TRACE
    with open(path, newline="") as f:
        counts = [float(row["requests"]) for row in csv.DictReader(f)]
    counts = counts[FIRST_MINUTE:FIRST_MINUTE + MINUTES]
    clairvoyant = sum(math.ceil(c / CAPACITY) for c in counts)
    print(f"{len(counts)} s replayed, mean {sum(counts) / len(counts):.1f} req/s, "
          f"clairvoyant {clairvoyant} pod-seconds")
    print("window w (s) | share of seconds covered q | multiplier | causal / clairvoyant")
    for w in (12, 30, 60):
        first = w + LEAD_S
        estimate = {t: sum(counts[t - LEAD_S - w:t - LEAD_S]) / w for t in range(first, len(counts))}
        ratios = sorted(counts[t] / estimate[t] for t in estimate if estimate[t] > 0)
        served = sum(math.ceil(counts[t] / CAPACITY) for t in estimate)
        for q in (0.90, 0.95, 0.99):
            multiplier = ratios[min(len(ratios) - 1, int(q * len(ratios)))]
            causal = sum(math.ceil(multiplier * estimate[t] / CAPACITY) for t in estimate)
            print(f"{w:12d} | {q:26.2f} | {multiplier:10.2f} | {causal / served:19.2f}")


if __name__ == "__main__":
    main()
