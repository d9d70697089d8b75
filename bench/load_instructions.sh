#!/usr/bin/env bash
# Instructions spent reading the input files (CSV scanning and decoding, the `readCSV` loop, not
# grouping or evaluation) for `rxrules run` over synthetic members on one thread, counted by
# callgrind: repeatable on a shared, noisy machine. Needs valgrind (Debian package).
#
#   bench/load_instructions.sh [PACK]                         # default rules/pqa-adherence
#   BASELINE=path/to/older/rxrules bench/load_instructions.sh # also counts an older build
#   MEMBERS=20000 SEED=7 TOP=8                                # the defaults; TOP functions listed
set -euo pipefail
cd "$(dirname "$0")/.."
pack=${1:-rules/pqa-adherence}
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$data" "$work"' EXIT
"$bin/rxrules" synth --members "${MEMBERS:-20000}" --seed "${SEED:-7}" --out "$data" >/dev/null
count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --collect-atstart=no \
    --toggle-collect='*readCSV*' \
    "$1" run --pack "$pack" --data "$data" --out "$work/out" --threads 1 >/dev/null 2>&1
  awk '/^(summary|totals):/ { printf "%.1f M instructions\n", $2 / 1e6; exit }' "$work/callgrind.out"
  # The functions that spend the most, on their own lines (symbols shortened).
  callgrind_annotate "$work/callgrind.out" 2>/dev/null | awk -v top="${TOP:-8}" \
    '/^-+$/ { rule++ } rule >= 4 && /%\)/ && shown < top { sub(/ \[.*/, ""); print "  " substr($0, 1, 140); shown++ }'
}
echo "$pack, ${MEMBERS:-20000} members (seed ${SEED:-7}), reading the input files, one thread"
echo "current:  $(count "$bin/rxrules")"
if [ -n "${BASELINE:-}" ]; then echo "baseline: $(count "$BASELINE")"; fi
