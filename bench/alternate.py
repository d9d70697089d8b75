"""Times commands in alternating rounds (A B C, A B C, ...) so that a noisy, shared machine
slows them alike, and reports each command's median, min and max wall time, its median user and
system CPU time and minor page faults, and, for every other command, the median over rounds of its
time divided by the first command's.

usage: python3 bench/alternate.py [--runs N] [--warmup N] [--export FILE] NAME COMMAND [NAME COMMAND ...]
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--export", help="write the times as JSON here")
    parser.add_argument("pairs", nargs="+", help="NAME COMMAND ...")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        sys.exit("give a NAME and a COMMAND for each command")
    names, commands = args.pairs[0::2], args.pairs[1::2]
    times = {name: [] for name in names}
    cpu = {name: [] for name in names}
    system = {name: [] for name in names}
    faults = {name: [] for name in names}
    for round_number in range(args.warmup + args.runs):
        for name, command in zip(names, commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if result.returncode != 0:
                sys.exit(f"{name} failed (exit {result.returncode}): {command}")
            if round_number >= args.warmup:
                times[name].append(elapsed)
                cpu[name].append(after.ru_utime - before.ru_utime)
                system[name].append(after.ru_stime - before.ru_stime)
                faults[name].append(after.ru_minflt - before.ru_minflt)
    first = names[0]
    for name in names:
        values = times[name]
        line = (f"{name}\n  runs {len(values)}  median {statistics.median(values) * 1000:.1f} ms"
                f"  min {min(values) * 1000:.1f} ms  max {max(values) * 1000:.1f} ms"
                f"  user CPU median {statistics.median(cpu[name]):.2f} s"
                f"  system {statistics.median(system[name]):.2f} s"
                f"  minor faults {statistics.median(faults[name]) / 1000:.0f} k")
        if name != first:
            ratios = [other / ours for other, ours in zip(values, times[first])]
            line += (f"\n  {name} / {first} per round: median {statistics.median(ratios):.2f}"
                     f"  min {min(ratios):.2f}  max {max(ratios):.2f}")
        print(line)
    if args.export:
        with open(args.export, "w", encoding="utf-8") as handle:
            json.dump({"commands": dict(zip(names, commands)), "times": times, "user_cpu": cpu,
                       "system_cpu": system, "minor_faults": faults}, handle, indent=1)


if __name__ == "__main__":
    main()
