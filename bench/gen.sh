#!/usr/bin/env bash
# Builds rxrules in release mode and generates the benchmark data set into bench/data/.
# MEMBERS (default 1000000), SEED (default 42) and THREADS (default: all cores) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product rxrules
bin="$(swift build -c release --show-bin-path)"
threads=()
if [[ -n "${THREADS:-}" ]]; then threads=(--threads "$THREADS"); fi
time "$bin/rxrules" synth --members "${MEMBERS:-1000000}" --seed "${SEED:-42}" --out bench/data "${threads[@]}"
