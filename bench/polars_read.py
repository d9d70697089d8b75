"""Reads pharmacy_claims.csv with Polars (typed columns) and groups it by member.

A second peer for the RxRecords read + group benchmark, doing the same work as duckdb_read.py:
parse every row into typed columns, then per member the claim count, fill dates in order (date,
then claim id) and paid total. Prints rows, members, wall time, rows/s and peak resident memory.

usage: bench/.venv/bin/python bench/polars_read.py [FILE]
"""

import argparse
import resource
import time

import polars as pl

SCHEMA = {
    "claim_id": pl.String,
    "member_id": pl.String,
    "fill_date": pl.Date,
    "ndc": pl.String,
    "days_supply": pl.Int32,
    "quantity": pl.Decimal(18, 3),
    "paid_amount": pl.Decimal(18, 2),
    "patient_pay": pl.Decimal(18, 2),
    "status": pl.String,
    "rx_number": pl.String,
    "fill_number": pl.Int32,
    "pharmacy_id": pl.String,
    "prescriber_id": pl.String,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="bench/data/pharmacy_claims.csv")
    args = parser.parse_args()

    start = time.perf_counter()
    claims = pl.read_csv(args.file, schema=SCHEMA)
    by_member = (
        claims.sort(["member_id", "fill_date", "claim_id"])
        .group_by("member_id", maintain_order=True)
        .agg(pl.len().alias("claims"), pl.col("fill_date").alias("fill_dates"), pl.col("paid_amount").sum())
    )
    rows, members = claims.height, by_member.height
    elapsed = time.perf_counter() - start
    assert by_member["claims"].sum() == rows, "every claim must land in exactly one member group"

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"polars {pl.__version__}: read + group {rows} rows into {members} members "
          f"in {elapsed:.2f} s: {rows / elapsed / 1e6:.2f} M rows/s, peak RSS {peak_kib / 1024:.0f} MiB "
          f"({peak_kib * 1024 / rows:.0f} bytes/claim)")


if __name__ == "__main__":
    main()
