#!/usr/bin/env bash
# The efficacy-insurance contracts end to end: `rxrules run` of the five contract packs together
# over every file of bench/data (members, enrollment, pharmacy and medical claims, observations),
# release mode, medians of RUNS hyperfine runs, then peak memory and the portfolios of one run.
#
#   bench/setup.sh && bench/gen.sh      # once: 760k synthetic members in bench/data
#   bench/contracts.sh                  # needs hyperfine (Debian package)
set -euo pipefail
cd "$(dirname "$0")/.."
results=${EXPORT:-$(mktemp --suffix=.json)}
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
data=${DATA:-bench/data}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
packs="--pack rules/statin-cv-refund --pack rules/glp1-hba1c-guarantee --pack rules/oncology-response-refund --pack rules/pap-bridge --pack rules/pd1-efficacy-insurance"
members=$(($(wc -l < "$data/members.csv") - 1))
claims=$(($(wc -l < "$data/pharmacy_claims.csv") - 1))
echo "members: $members; pharmacy claims: $claims; medical claims: $(($(wc -l < "$data/medical_claims.csv") - 1)); observations: $(($(wc -l < "$data/observations.csv") - 1))"
hyperfine --runs "${RUNS:-3}" --export-json "$results" \
  -n contracts "$bin/rxrules run $packs --data $data --out $out"
python3 bench/hyperfine_median.py "$results"
python3 - "$results" "$members" "$claims" <<'PY'
import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
median = statistics.median(times)
print(f"  {int(sys.argv[2]) / median / 1e6:.2f} M members/s, {int(sys.argv[3]) / median / 1e6:.2f} M pharmacy claims/s")
PY
/usr/bin/time -f "peak RSS %M KiB: rxrules run (5 contract packs)" "$bin/rxrules" run $packs --data "$data" --out "$out" 2>&1 \
  | grep -E "portfolio|peak RSS|time:"
