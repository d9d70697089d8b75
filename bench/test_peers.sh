#!/usr/bin/env bash
# Runs both PDC-STA peers (DuckDB SQL, Polars) on the hand-made fixture bench/fixtures/pdc-sta and
# checks each against the hand-computed expected file (domain guide oracles T2-T5 and the worked
# example T11 without stay adjustment, plus exclusions, reversal, age, death and rounding edges),
# then the two peers and the plain-Python reference (bench/pdc_sta_reference.py, every member)
# against each other on the bundled example data.
# Needs bench/.venv (bench/setup.sh). Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
python=bench/.venv/bin/python
fixture=bench/fixtures/pdc-sta
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for peer in duckdb polars; do
  "$python" "bench/pdc_sta_$peer.py" "$fixture" --out "$out/fixture-$peer"
  echo "== $peer against $fixture/expected_pdc_sta.csv"
  "$python" bench/compare_pdc.py "$fixture/expected_pdc_sta.csv" "$out/fixture-$peer/pdc_sta.csv"
  "$python" "bench/pdc_sta_$peer.py" examples/data --out "$out/examples-$peer"
done
echo "== reference against $fixture/expected_pdc_sta.csv"
"$python" bench/pdc_sta_reference.py --sample 1 "$fixture" --out "$out/fixture-reference"
"$python" bench/compare_pdc.py "$fixture/expected_pdc_sta.csv" "$out/fixture-reference/pdc_sta.csv"
echo "== duckdb against polars on examples/data"
"$python" bench/compare_pdc.py "$out/examples-duckdb/pdc_sta.csv" "$out/examples-polars/pdc_sta.csv"
echo "== reference against duckdb on examples/data"
"$python" bench/pdc_sta_reference.py --sample 1 examples/data --out "$out/examples-reference"
"$python" bench/compare_pdc.py "$out/examples-reference/pdc_sta.csv" "$out/examples-duckdb/pdc_sta.csv"
echo "== the comparer must notice a changed value and a missing member"
sed -e 's/^P-T3,2025-03-25,282,270,0.9574,true$/P-T3,2025-03-25,282,271,0.9610,true/' -e '/^P-T5A,/d' \
  "$fixture/expected_pdc_sta.csv" > "$out/altered.csv"
status=0
"$python" bench/compare_pdc.py "$out/altered.csv" "$out/fixture-duckdb/pdc_sta.csv" > "$out/altered.txt" || status=$?
grep -q '^mismatches: 3$' "$out/altered.txt" && [[ $status -eq 1 ]] || { cat "$out/altered.txt"; exit 1; }
echo "test_peers: all agree"
