"""Reads pharmacy_claims.csv with DuckDB's read_csv (typed columns) and groups it by member.

The peer of the RxRecords read + group benchmark: every row is parsed into typed columns, then
each member gets its claim count and its fill dates in order (date, then claim id), materialised.
Prints rows, members, wall time, rows/s and peak resident memory.

usage: bench/.venv/bin/python bench/duckdb_read.py [--threads N] [FILE]
"""

import argparse
import resource
import time

import duckdb

from duckdb_schema import PHARMACY, read_csv_sql



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="bench/data/pharmacy_claims.csv")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    args = parser.parse_args()

    connection = duckdb.connect()
    if args.threads > 0:
        connection.execute(f"SET threads TO {args.threads}")

    start = time.perf_counter()
    connection.execute(
        "CREATE TABLE claims AS SELECT * FROM " + read_csv_sql(PHARMACY),
        [args.file],
    )
    rows = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    connection.execute(
        """
        CREATE TABLE by_member AS
        SELECT member_id, count(*) AS claims,
               list(fill_date ORDER BY fill_date, claim_id) AS fill_dates,
               sum(paid_amount) AS paid
        FROM claims GROUP BY member_id
        """
    )
    members, claims = connection.execute("SELECT count(*), sum(claims) FROM by_member").fetchone()
    elapsed = time.perf_counter() - start
    assert claims == rows, "every claim must land in exactly one member group"

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"duckdb {duckdb.__version__}: read + group {rows} rows into {members} members "
          f"in {elapsed:.2f} s: {rows / elapsed / 1e6:.2f} M rows/s, peak RSS {peak_kib / 1024:.0f} MiB "
          f"({peak_kib * 1024 / rows:.0f} bytes/claim)")


if __name__ == "__main__":
    main()
