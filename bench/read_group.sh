#!/usr/bin/env bash
# Typed read + group by member of pharmacy_claims.csv: RxRecords vs DuckDB's read_csv, measured
# in one hyperfine run (medians of RUNS runs each).
#
#   bench/setup.sh                     # once: bench/.venv with duckdb and polars
#   MEMBERS=760000 bench/gen.sh        # ~10M pharmacy claims into bench/data (1M members give ~13M)
#   bench/read_group.sh                # needs hyperfine (Debian package)
set -euo pipefail
results=${EXPORT:-$(mktemp --suffix=.json)}
cd "$(dirname "$0")/.."
swift build -c release --product rxrules-bench-read >/dev/null
bin=$(swift build -c release --show-bin-path)
claims=${CLAIMS:-bench/data/pharmacy_claims.csv}
# The Swift reader loads every canonical file of a folder: give it a folder with the claims alone.
only=$(mktemp -d)
trap 'rm -rf "$only"' EXIT
ln -s "$(realpath "$claims")" "$only/pharmacy_claims.csv"
echo "rows: $(($(wc -l < "$claims") - 1)) in $claims"
hyperfine --runs "${RUNS:-5}" --export-json "$results" \
  -n rxrecords "$bin/rxrules-bench-read $only" \
  -n duckdb "bench/.venv/bin/python bench/duckdb_read.py $claims"
python3 bench/hyperfine_median.py "$results"
# One more run of each, for the peak memory both print.
"$bin/rxrules-bench-read" "$only"
bench/.venv/bin/python bench/duckdb_read.py "$claims"
