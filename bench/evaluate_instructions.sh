#!/usr/bin/env bash
# Instructions spent evaluating a pack (the evaluate phase only, not loading) over synthetic
# members on one thread, counted by callgrind: repeatable on a shared, noisy machine, so it decides
# between code variants where wall times cannot. Needs valgrind (Debian package).
#
#   bench/evaluate_instructions.sh [PACK]                         # default rules/pqa-adherence
#   BASELINE=path/to/older/rxrules bench/evaluate_instructions.sh # also counts an older build
#   MEMBERS=20000 SEED=7                                          # the defaults
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
    --toggle-collect='*forEachMemberChunkInOrder*' \
    "$1" run --pack "$pack" --data "$data" --out "$work/out" --threads 1 >/dev/null 2>&1
  awk '/^(summary|totals):/ { printf "%.1f M instructions\n", $2 / 1e6; exit }' "$work/callgrind.out"
}
echo "$pack, ${MEMBERS:-20000} members (seed ${SEED:-7}), evaluate phase, one thread"
echo "current:  $(count "$bin/rxrules")"
if [ -n "${BASELINE:-}" ]; then echo "baseline: $(count "$BASELINE")"; fi
