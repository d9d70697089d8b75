"""Refill too soon per fill (pbm-edits' `refill_too_soon`) with DuckDB SQL: a peer of `rxrules run`.

For each paid fill of a maintenance drug (value set `maintenance`, by NDC), the previous paid
fill of the same ingredient (date order, then claim id) gives earliest = its fill_date +
ceil(days_supply * threshold); the fill is rejected (79) when its date is before earliest.
Paid fills are what RxRules evaluates: a `reversed` row cancels the earliest paid row of the same
member and claim id. Rows RxRules would reject as malformed are not screened: use clean input.
Writes OUT/refill_too_soon.csv (claim_id, member_id, fill_date, decision, reject_code,
next_fill_date) and prints rows, wall time, pharmacy claims/s and peak resident memory.

usage: bench/.venv/bin/python bench/refill_too_soon_duckdb.py [--out OUT] [--threshold 0.75] [DATA]
"""

import argparse
import resource
import time
from decimal import Decimal
from pathlib import Path

import duckdb

from duckdb_schema import PHARMACY, read_csv_sql

REPO = Path(__file__).resolve().parent.parent


# Paid fills after reversals: the k-th paid row (by date) of a member's claim id survives when
# fewer than k reversal rows carry that claim id.
PAID = """
CREATE TABLE paid AS
WITH reversals AS (
    SELECT member_id, claim_id, count(*) AS reversed FROM claims WHERE status = 'reversed' GROUP BY ALL
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY member_id, claim_id ORDER BY fill_date) AS k
    FROM claims WHERE status = 'paid'
)
SELECT ranked.claim_id, ranked.member_id, ranked.fill_date, ranked.ndc, ranked.days_supply
FROM ranked LEFT JOIN reversals USING (member_id, claim_id)
WHERE ranked.k > coalesce(reversals.reversed, 0)
"""

EDIT = """
CREATE TABLE refill_too_soon AS
WITH fills AS (
    SELECT paid.*, maintenance.ingredient FROM paid JOIN maintenance ON paid.ndc = maintenance.code
), previous AS (
    SELECT *, lag(fill_date) OVER w AS previous_date, lag(days_supply) OVER w AS previous_supply
    FROM fills
    WINDOW w AS (PARTITION BY member_id, ingredient ORDER BY fill_date, claim_id)
), checked AS (
    -- Exact: INTEGER * DECIMAL is a DECIMAL, and its ceiling a whole number of days.
    SELECT *, previous_date + CAST(ceil(previous_supply * CAST(? AS DECIMAL(9, 4))) AS INTEGER) AS earliest
    FROM previous
)
SELECT claim_id, member_id, fill_date,
       CASE WHEN fill_date < earliest THEN 'reject' ELSE 'pay' END AS decision,
       CASE WHEN fill_date < earliest THEN '79' ELSE '' END AS reject_code,
       CASE WHEN fill_date < earliest THEN earliest END AS next_fill_date
FROM checked
"""


def quoted(path: Path) -> str:
    """A path inside a SQL string literal (COPY takes no parameters)."""
    return str(path).replace("'", "''")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=REPO / "bench" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "refill-duckdb")
    parser.add_argument("--valueset", type=Path,
                        default=REPO / "rules" / "pbm-edits" / "valuesets" / "maintenance.csv")
    parser.add_argument("--threshold", type=Decimal, default=Decimal("0.75"))
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    args = parser.parse_args()

    start = time.perf_counter()
    connection = duckdb.connect()
    if args.threads > 0:
        connection.execute(f"SET threads TO {args.threads}")
    connection.execute(
        "CREATE TABLE claims AS SELECT claim_id, member_id, fill_date, ndc, days_supply, status FROM "
        + read_csv_sql(PHARMACY),
        [str(args.data / "pharmacy_claims.csv")],
    )
    connection.execute(
        "CREATE TABLE maintenance AS SELECT code, ingredient FROM read_csv(?, header = true, all_varchar = true)",
        [str(args.valueset)],
    )
    claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    connection.execute(PAID)
    connection.execute(EDIT, [str(args.threshold)])
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "refill_too_soon.csv"
    connection.execute(
        f"COPY (SELECT * FROM refill_too_soon ORDER BY member_id, claim_id) TO '{quoted(target)}' (HEADER, DELIMITER ',')"
    )
    rows, rejects = connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE decision = 'reject') FROM refill_too_soon").fetchone()
    elapsed = time.perf_counter() - start

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"duckdb {duckdb.__version__}: refill too soon on {rows} fills ({rejects} rejected) from {claims} "
          f"pharmacy claims in {elapsed:.2f} s: {claims / elapsed / 1e6:.2f} M claims/s, peak RSS {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
