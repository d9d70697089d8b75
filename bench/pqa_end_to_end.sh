#!/usr/bin/env bash
# End-to-end PDC: `rxrules run` of pqa-adherence (PDC-STA, PDC-RASA and PDC-DR; CSV in, CSV out)
# against the DuckDB and Polars peers computing PDC-STA alone from the same CSVs, measured
# in alternating rounds (bench/alternate.py); then peak memory of each, and the member-by-member check.
#
#   bench/setup.sh && bench/gen.sh      # once: peers' venv, and 1M synthetic members in bench/data
#   RUNS=7 bench/pqa_end_to_end.sh      # rounds (default 3), after one warm-up round
#   BASELINE=path/to/older/rxrules bench/pqa_end_to_end.sh   # also times an older build, alternately
set -euo pipefail
cd "$(dirname "$0")/.."
results=${EXPORT:-$(mktemp --suffix=.json)}
swift build -c release --product rxrules >/dev/null
swift build -c release >/dev/null   # the pack modules too
bin=$(swift build -c release --show-bin-path)
python=bench/.venv/bin/python
data=${DATA:-bench/data}
# Only the files PDC needs, for every tool alike.
inputs=$(mktemp -d)
ours=$(mktemp -d)
peer=$(mktemp -d)
trap 'rm -rf "$inputs" "$ours" "$peer"' EXIT
for file in members pharmacy_claims medical_claims; do ln -s "$(realpath "$data/$file.csv")" "$inputs/$file.csv"; done
echo "pharmacy claims: $(($(wc -l < "$data/pharmacy_claims.csv") - 1)); members: $(($(wc -l < "$data/members.csv") - 1))"
# The peers apply no stay adjustment, so neither does RxRules here.
baseline=()
if [ -n "${BASELINE:-}" ]; then
  older=$(mktemp -d)
  trap 'rm -rf "$inputs" "$ours" "$peer" "$older"' EXIT
  baseline=(baseline "$BASELINE run --pack rules/pqa-adherence --data $inputs --out $older --param stay_adjustment=false")
fi
# Alternating rounds (rxrules, [baseline,] duckdb, polars, then again), one warm-up round first:
# on a shared machine a slow spell then hits every tool, and the per-round ratios show it.
python3 bench/alternate.py --runs "${RUNS:-3}" --export "$results" \
  rxrules "$bin/rxrules run --pack rules/pqa-adherence --data $inputs --out $ours --param stay_adjustment=false" \
  "${baseline[@]}" \
  duckdb "$python bench/pdc_sta_duckdb.py $inputs --out $peer" \
  polars "$python bench/pdc_sta_polars.py $inputs --out $peer"
# The phases of one more run (its own report: load, evaluate, write).
"$bin/rxrules" run --pack rules/pqa-adherence --data "$inputs" --out "$ours" --param stay_adjustment=false | tail -n 1
measured=("$bin/rxrules run --pack rules/pqa-adherence --data $inputs --out $ours --param stay_adjustment=false")
[ -n "${BASELINE:-}" ] && measured+=("$BASELINE run --pack rules/pqa-adherence --data $inputs --out $older --param stay_adjustment=false")
measured+=("$python bench/pdc_sta_duckdb.py $inputs --out $peer" "$python bench/pdc_sta_polars.py $inputs --out $peer/polars")
for command in "${measured[@]}"; do
  /usr/bin/time -f "peak RSS %M KiB: ${command%% --*}" $command >/dev/null 2>"$peer/time.txt" || true
  tail -n 1 "$peer/time.txt"
done
"$python" bench/pdc_sta_duckdb.py "$inputs" --out "$peer" >/dev/null
"$python" bench/compare_pdc.py "$ours/pdc_sta.csv" "$peer/pdc_sta.csv"
if [ -n "${BASELINE:-}" ]; then
  for file in "$older"/*.csv; do cmp "$file" "$ours/$(basename "$file")"; done
  echo "baseline result files identical: $(ls "$older"/*.csv | wc -l)"
fi
