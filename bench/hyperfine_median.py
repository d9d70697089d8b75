"""Prints the median, min and max of every command in a hyperfine JSON export.

usage: python3 bench/hyperfine_median.py RESULTS.json
"""

import json
import statistics
import sys


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        results = json.load(handle)["results"]
    for result in results:
        times = result["times"]
        print(f"{result['command']}\n  runs {len(times)}  median {statistics.median(times) * 1000:.1f} ms"
              f"  min {min(times) * 1000:.1f} ms  max {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
