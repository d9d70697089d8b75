#!/usr/bin/env bash
# Host start-up with every bundled pack loaded: from source folders vs from compiled modules.
# Needs hyperfine (Debian package `hyperfine`). Run from anywhere; builds in release mode first.
set -euo pipefail
results=${EXPORT:-$(mktemp --suffix=.json)}
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
folders=(rules/pqa-adherence rules/statin-cv-refund rules/pbm-edits)
modules=("$bin/libPqaAdherence.so" "$bin/libStatinCvRefund.so" "$bin/libPbmEdits.so")
# `--version` is the process start-up floor; `packs list` loads (and hashes) each pack;
# `packs verify` also type-checks every pack and binds its native functions.
hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-json "$results" \
  "$bin/rxrules --version" \
  "$bin/rxrules packs list ${folders[*]}" \
  "$bin/rxrules packs list ${modules[*]}" \
  "$bin/rxrules packs verify ${folders[*]}" \
  "$bin/rxrules packs verify ${modules[*]}"
python3 bench/hyperfine_median.py "$results"
