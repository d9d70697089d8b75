#!/usr/bin/env python3
"""Deterministic canonical pharmacy_claims.csv for read benchmarks.

Usage: make_claims.py ROWS OUT_DIR [SEED] [--by-member]

By default each row belongs to a random member (the worst case for grouping and for the
code-table caches); with --by-member the rows of one member are written together, as a
member-history generator or a member-sorted extract writes them. About 1% of paid fills get a
matching reversal row.
"""
import os
import random
import sys


def main():
    positional_args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(positional_args[0])
    out_dir = positional_args[1]
    by_member = "--by-member" in sys.argv
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = int(positional[2]) if len(positional) > 2 else 1
    rng = random.Random(seed)
    members = max(1, rows // 25)
    ndcs = ["%011d" % rng.randrange(10**9, 10**11) for _ in range(400)]
    pharmacies = ["PH%05d" % i for i in range(2000)]
    prescribers = ["%010d" % rng.randrange(10**9, 10**10) for _ in range(5000)]
    os.makedirs(out_dir, exist_ok=True)
    header = ("claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount,patient_pay,"
              "status,rx_number,fill_number,pharmacy_id,prescriber_id\n")
    written = 0
    claim = 0
    with open(os.path.join(out_dir, "pharmacy_claims.csv"), "w", buffering=1 << 22) as out:
        out.write(header)
        lines = []
        while written < rows:
            claim += 1
            member = (claim - 1) * members // rows if by_member else rng.randrange(members)
            month = rng.randrange(1, 13)
            day = rng.randrange(1, 29)
            supply = rng.choice((30, 30, 30, 90))
            paid = rng.randrange(100, 50000)
            line = "C%010d,M%07d,2025-%02d-%02d,%s,%d,%d.000,%d.%02d,%d.00,paid,RX%07d,%d,%s,%s\n" % (
                claim, member, month, day, ndcs[member % 400], supply, supply, paid // 100, paid % 100,
                rng.randrange(0, 40), member * 3 % 9999999, rng.randrange(0, 12),
                pharmacies[member % 2000], prescribers[member % 5000])
            lines.append(line)
            written += 1
            if written < rows and rng.random() < 0.01:
                lines.append(line.replace(",paid,", ",reversed,"))
                written += 1
            if len(lines) >= 100000:
                out.write("".join(lines))
                lines = []
        out.write("".join(lines))


if __name__ == "__main__":
    main()
