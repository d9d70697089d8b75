#!/usr/bin/env bash
# The end-to-end benchmarks of BENCHMARKS.md in one session, on one machine state: PDC (pqa-adherence
# against DuckDB and Polars), claim edits (pbm-edits against DuckDB) and the contract packs.
#
#   bench/setup.sh && bench/gen.sh      # once
#   bench/all.sh                        # needs hyperfine (Debian package)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== PDC end to end"
RUNS=${PQA_RUNS:-5} bench/pqa_end_to_end.sh
if [[ -x bench/pbm_edits.sh ]]; then
  echo "== pbm-edits"
  RUNS=${RUNS:-3} bench/pbm_edits.sh
fi
echo "== contracts"
RUNS=${RUNS:-3} bench/contracts.sh
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
