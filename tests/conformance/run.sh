#!/usr/bin/env bash
# Conformance suite: Tableau's Python client (tableauserverclient) against the
# tableau-sim binary. Creates a virtualenv under target/, builds the simulator,
# starts it on a free port, runs tsc_conformance.py and stops the simulator.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/conformance-venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/conformance/requirements.txt

cargo build --quiet -p tableau-sim
bin="$target/debug/tableau-sim"
if [ -x "$target/release/tableau-sim" ] && [ "$target/release/tableau-sim" -nt "$bin" ]; then
    bin="$target/release/tableau-sim"
fi

users=250
groups=12
out="$(mktemp)"
"$bin" --users "$users" --groups "$groups" --memberships-per-user 3 --owners-fraction 0.3 --seed 7 >"$out" &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$out"
}
trap cleanup EXIT

line=""
for _ in $(seq 1 300); do
    line="$(head -n 1 "$out" 2>/dev/null || true)"
    [ -n "$line" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "tableau-sim exited before listening" >&2
        exit 1
    fi
    sleep 0.1
done
case "$line" in
    "listening on http://"*) url="${line#listening on }" ;;
    *) echo "tableau-sim did not print its address (got: '$line')" >&2; exit 1 ;;
esac

"$venv/bin/python" tests/conformance/tsc_conformance.py "$url" --users "$users" --groups "$groups"
