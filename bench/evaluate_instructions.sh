#!/usr/bin/env bash
# Instructions spent evaluating a pack (the evaluate phase only, not loading) over synthetic
# members on one thread, counted by callgrind (bench/instructions.sh).
#
#   bench/evaluate_instructions.sh [PACK]                         # default rules/pqa-adherence
#   BASELINE=path/to/older/rxrules bench/evaluate_instructions.sh # also counts an older build
#   MEMBERS=20000 SEED=7                                          # the defaults
set -euo pipefail
exec "$(dirname "$0")/instructions.sh" '*forEachMemberChunkInOrder*' "evaluate phase" "$@"
