"""PDC-STA (PQA statin adherence, MY 2025) with DuckDB SQL: a peer of `rxrules run`.

Reads the canonical CSVs of a data folder, runs bench/pdc_sta.sql (interval arithmetic, no
per-day calendar) and writes OUT/pdc_sta.csv with the columns of RxRules' output minus the pack
columns. There is NO stay adjustment: compare with `rxrules run --param stay_adjustment=false`.
Prints rows, wall time, pharmacy claims/s and peak resident memory.

usage: bench/.venv/bin/python bench/pdc_sta_duckdb.py [--out OUT] [--valueset FILE] [--threads N] [DATA]
"""

import argparse
import resource
import time
from pathlib import Path

import duckdb

from duckdb_schema import MEDICAL, MEMBERS, PHARMACY, load_table

REPO = Path(__file__).resolve().parent.parent
SQL = Path(__file__).resolve().parent / "pdc_sta.sql"


def load_inputs(connection: duckdb.DuckDBPyConnection, data: Path, valueset: Path) -> int:
    """Loads the four inputs and returns the number of pharmacy claim rows read."""
    load_table(connection, "pharmacy", data / "pharmacy_claims.csv", PHARMACY,
               ["claim_id", "member_id", "fill_date", "ndc", "days_supply", "status"])
    load_table(connection, "members", data / "members.csv", MEMBERS,
               ["member_id", "birth_date", "death_date"])
    load_table(connection, "medical", data / "medical_claims.csv", MEDICAL,
               ["member_id", "from_date", "thru_date", "setting", "dx_codes"])
    # A value set may carry extra columns (class, description...): only code and ingredient matter.
    connection.execute(
        "CREATE TABLE statins AS SELECT code, ingredient FROM read_csv(?, header = true, all_varchar = true)",
        [str(valueset)],
    )
    return connection.execute("SELECT count(*) FROM pharmacy").fetchone()[0]


def quoted(path: Path) -> str:
    """A path inside a SQL string literal (COPY takes no parameters)."""
    return str(path).replace("'", "''")


def write_output(connection: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Writes pdc_sta.csv sorted by member_id and returns its row count."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / "pdc_sta.csv"
    connection.execute(
        f"COPY (SELECT * FROM pdc_sta ORDER BY member_id) TO '{quoted(target)}' (HEADER, DELIMITER ',')"
    )
    return connection.execute("SELECT count(*) FROM pdc_sta").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=REPO / "bench" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "pdc-duckdb")
    parser.add_argument("--valueset", type=Path,
                        default=REPO / "rules" / "pqa-adherence" / "valuesets" / "statins.csv")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    args = parser.parse_args()

    start = time.perf_counter()
    connection = duckdb.connect()
    if args.threads > 0:
        connection.execute(f"SET threads TO {args.threads}")
    claims = load_inputs(connection, args.data, args.valueset)
    connection.execute(SQL.read_text())
    rows = write_output(connection, args.out)
    elapsed = time.perf_counter() - start

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"duckdb {duckdb.__version__}: PDC-STA {rows} members from {claims} pharmacy claims "
          f"in {elapsed:.2f} s: {claims / elapsed / 1e6:.2f} M claims/s, peak RSS {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
