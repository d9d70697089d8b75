#!/usr/bin/env bash
# Instructions spent reading the input files (CSV scanning and decoding, the `readCSV` loop, not
# grouping or evaluation) for `rxrules run` over synthetic members on one thread, counted by
# callgrind (bench/instructions.sh).
#
#   bench/load_instructions.sh [PACK]                         # default rules/pqa-adherence
#   BASELINE=path/to/older/rxrules bench/load_instructions.sh # also counts an older build
#   MEMBERS=20000 SEED=7 TOP=8                                # the defaults; TOP functions listed
set -euo pipefail
TOP=${TOP:-8} exec "$(dirname "$0")/instructions.sh" '*readCSV*' "reading the input files" "$@"
