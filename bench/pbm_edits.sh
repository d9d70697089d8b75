#!/usr/bin/env bash
# Claim edits: `rxrules run` of the whole pbm-edits pack (9 claim rules), of a pack holding only
# its refill_too_soon rule, and the DuckDB peer computing refill too soon alone
# (bench/refill_too_soon_duckdb.py), from the same CSVs, measured in one hyperfine
# run; then peak memory of each, and the claim-by-claim check of refill_too_soon.csv.
#
#   bench/setup.sh && bench/gen.sh      # once: peers' venv, and synthetic members in bench/data
#   bench/pbm_edits.sh                  # needs hyperfine (Debian package)
#   BASELINE=old/rxrules bench/pbm_edits.sh   # also times another build on the whole pack
set -euo pipefail
cd "$(dirname "$0")/.."
results=${EXPORT:-$(mktemp --suffix=.json)}
swift build -c release --product rxrules >/dev/null
bin=$(swift build -c release --show-bin-path)
python=${PYTHON:-bench/.venv/bin/python}
data=${DATA:-bench/data}
# Only the files the edits read, for every tool alike.
inputs=$(mktemp -d)
ours=$(mktemp -d)
single=$(mktemp -d)
peer=$(mktemp -d)
pack=$(mktemp -d)
trap 'rm -rf "$inputs" "$ours" "$single" "$peer" "$pack"' EXIT
for file in members enrollment pharmacy_claims; do ln -s "$(realpath "$data/$file.csv")" "$inputs/$file.csv"; done
# The one-rule pack: pbm-edits' declarations and value sets with only the refill_too_soon block.
cp -r rules/pbm-edits/pack.rules rules/pbm-edits/codes rules/pbm-edits/valuesets "$pack/"
awk '/^claim rule refill_too_soon /{on=1} on&&/^$/{exit} on' rules/pbm-edits/edits.rules > "$pack/edits.rules"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pharmacy claims: $(($(wc -l < "$data/pharmacy_claims.csv") - 1)); members: $(($(wc -l < "$data/members.csv") - 1))"
whole="$bin/rxrules run --pack rules/pbm-edits --data $inputs --out $ours"
one="$bin/rxrules run --pack $pack --data $inputs --out $single"
duck="$python bench/refill_too_soon_duckdb.py $inputs --out $peer"
commands=(-n rxrules-pack "$whole" -n rxrules-refill "$one" -n duckdb "$duck")
# BASELINE=path/to/another/rxrules also times that binary on the whole pack (before/after a change).
if [[ -n ${BASELINE:-} ]]; then
  baseline=$(mktemp -d)
  trap 'rm -rf "$inputs" "$ours" "$single" "$peer" "$pack" "$baseline"' EXIT
  commands+=(-n rxrules-pack-baseline "$BASELINE run --pack rules/pbm-edits --data $inputs --out $baseline")
fi
hyperfine --runs "${RUNS:-3}" --export-json "$results" "${commands[@]}"
python3 bench/hyperfine_median.py "$results"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for command in "$whole" "$one" "$duck"; do
  /usr/bin/time -f "peak RSS %M KiB, wall %e s: ${command%% --*}" $command >/dev/null 2>"$peer/time.txt" || true
  tail -n 1 "$peer/time.txt"
done
"$python" bench/compare_claim_edits.py "$ours/refill_too_soon.csv" "$peer/refill_too_soon.csv"
"$python" bench/compare_claim_edits.py "$single/refill_too_soon.csv" "$peer/refill_too_soon.csv"
