#!/usr/bin/env bash
# `rxrules check` of a generated 10,000-line pack, release mode (hyperfine, Debian package).
set -euo pipefail
results=${EXPORT:-$(mktemp --suffix=.json)}
cd "$(dirname "$0")/.."
swift build -c release --product rxrules >/dev/null
bin=$(swift build -c release --show-bin-path)
pack=$(mktemp -d)/large-pack
trap 'rm -rf "$(dirname "$pack")"' EXIT
bench/make-large-pack.sh "$pack" "${LINES:-10000}" >/dev/null
echo "lines: $(cat "$pack"/*.rules | wc -l)"
"$bin/rxrules" check "$pack"
hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-json "$results" "$bin/rxrules check $pack"
python3 bench/hyperfine_median.py "$results"
