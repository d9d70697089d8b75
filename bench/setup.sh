#!/usr/bin/env bash
# Creates bench/.venv with the Python peers of the benchmarks (DuckDB, Polars), pinned.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet duckdb==2.0.0 polars==2.1.0
.venv/bin/python -c 'import duckdb, polars; print("duckdb", duckdb.__version__, "polars", polars.__version__)'
