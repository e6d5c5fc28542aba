#!/usr/bin/env bash
# Benchmark: `tabgov sync` against a tableauserverclient baseline on
# tableau-sim (docs/benchmarks.md). Builds the binaries, creates a virtualenv
# under target/ with tableauserverclient pinned as in
# tests/conformance/requirements.txt, then runs tests/bench/bench.py.
# tabgov runs with its default flags (no --max-rps, no --concurrency).
#
#   bash tests/bench/run.sh                 # full: 20k users at 20 ms, 100k at 0 ms; 3 reps
#   bash tests/bench/run.sh --reps 5
#   bash tests/bench/run.sh --scenario 20k
#   bash tests/bench/run.sh --tiny          # a few seconds: CI's smoke run (debug build)
#   bash tests/bench/run.sh --against OLD   # also run another tabgov binary (an earlier
#                                           # commit's release build), side by side
#   bash tests/bench/run.sh --postgres      # also sync into a PostgreSQL store, side by side
#                                           # (TABGOV_TEST_POSTGRES's server, else a throw-away
#                                           # one from tests/postgres/server.sh)
#
# Release binaries unless --tiny (which uses the debug build CI already has);
# --release forces them. Results also go to target/bench/results.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/bench-venv"

profile=release
tiny=false
pass=()
for arg in "$@"; do
    case "$arg" in
        --tiny) tiny=true; pass+=("$arg") ;;
        --release) release_forced=true ;;
        --postgres) postgres=true ;;
        -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) pass+=("$arg") ;;
    esac
done
if [ "$tiny" = true ] && [ "${release_forced:-false}" != true ]; then
    profile=debug
fi

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/conformance/requirements.txt

if [ "$profile" = release ]; then
    cargo build --quiet --release -p tabgov -p tableau-sim
else
    cargo build --quiet -p tabgov -p tableau-sim
fi

if [ "${postgres:-false}" = true ]; then
    if [ -z "${TABGOV_TEST_POSTGRES:-}" ]; then
        pg_dir=$(mktemp -d /tmp/tabgov-bench-pg.XXXXXX)
        trap 'bash tests/postgres/server.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
        TABGOV_TEST_POSTGRES=$(bash tests/postgres/server.sh start "$pg_dir")
    fi
    pass+=(--postgres "$TABGOV_TEST_POSTGRES")
fi

mkdir -p "$target/bench"
"$venv/bin/python" tests/bench/bench.py \
    --tabgov "$target/$profile/tabgov" \
    --sim "$target/$profile/tableau-sim" \
    --python "$venv/bin/python" \
    --baseline tests/bench/tsc_baseline.py \
    --out "$target/bench/results.json" \
    ${pass[@]+"${pass[@]}"}
