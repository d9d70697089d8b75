#!/usr/bin/env bash
# Instructions `rxrules run` spends inside the functions matching COLLECT (a callgrind
# --toggle-collect pattern) over synthetic members on one thread, counted by callgrind: repeatable
# on a shared, noisy machine, so it decides between code variants where wall times cannot.
# Needs valgrind (Debian package). Used by bench/evaluate_instructions.sh and bench/load_instructions.sh.
#
#   bench/instructions.sh COLLECT LABEL [PACK]      # default rules/pqa-adherence
#   BASELINE=path/to/older/rxrules                  # also counts an older build
#   MEMBERS=20000 SEED=7 TOP=0                      # the defaults; TOP functions listed
set -euo pipefail
cd "$(dirname "$0")/.."
collect=$1 label=$2
pack=${3:-rules/pqa-adherence}
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
data=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$data" "$work"' EXIT
"$bin/rxrules" synth --members "${MEMBERS:-20000}" --seed "${SEED:-7}" --out "$data" >/dev/null
count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --collect-atstart=no \
    --toggle-collect="$collect" \
    "$1" run --pack "$pack" --data "$data" --out "$work/out" --threads 1 >/dev/null 2>&1
  awk '/^(summary|totals):/ { printf "%.1f M instructions\n", $2 / 1e6; exit }' "$work/callgrind.out"
  # The functions that spend the most, on their own lines (symbols shortened).
  if [ "${TOP:-0}" -gt 0 ]; then
    callgrind_annotate "$work/callgrind.out" 2>/dev/null | awk -v top="$TOP" \
      '/^-+$/ { rule++ } rule >= 4 && /%\)/ && shown < top { sub(/ \[.*/, ""); print "  " substr($0, 1, 140); shown++ }'
  fi
}
echo "$pack, ${MEMBERS:-20000} members (seed ${SEED:-7}), $label, one thread"
echo "current:  $(count "$bin/rxrules")"
if [ -n "${BASELINE:-}" ]; then echo "baseline: $(count "$BASELINE")"; fi
