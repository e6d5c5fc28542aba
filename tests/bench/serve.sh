#!/usr/bin/env bash
# Benchmark: `tabgov serve` answering GET /v1/accounts?limit=1000 from a store
# of 100,000 accounts (docs/benchmarks.md). Builds the release binaries and
# the load client (connector/examples/serve_load.rs), syncs a simulated site
# into a fresh SQLite store, starts `tabgov serve` with its defaults, reads
# its idle RSS, runs 16 concurrent clients walking the pages by cursor, and
# prints one JSON object with the latency percentiles and RSS.
#
#   bash tests/bench/serve.sh                      # 100k accounts, 16 clients, 200 requests each
#   bash tests/bench/serve.sh --users 20000 --clients 8 --requests 100
#   bash tests/bench/serve.sh --tiny               # a few seconds, debug build: CI's smoke run
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"

users=100000
clients=16
requests=200
profile=release
while [ $# -gt 0 ]; do
    case "$1" in
        --users) users="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --tiny) users=500; clients=4; requests=20; profile=debug; shift ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

flag=()
[ "$profile" = release ] && flag=(--release)
cargo build --quiet "${flag[@]}" -p tabgov --bin tabgov --example serve_load
cargo build --quiet "${flag[@]}" -p tableau-sim
bin="$target/$profile"

# shellcheck source=../processes.sh
source "$root/tests/processes.sh"

rss_mb() {
    awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

"$bin/tableau-sim" --users "$users" --groups $((users / 50 + 1)) --memberships-per-user 4 \
    --owners-fraction 0.1 --seed 1 > "$work/sim.out" &
pids+=($!)
sim=$(wait_for_address "$work/sim.out")

export TABGOV_PAT_SECRET=admin-secret
unset TABGOV_DB RUST_LOG
db="sqlite://$work/store.db"
"$bin/tabgov" --db "$db" -q sync --server "$sim" --site "" --pat-name admin-pat
"$bin/tabgov" token new --name bench --scope read > "$work/tokens.txt" 2> "$work/token.err"
token=$(sed -n 's/.*keep it secret): //p' "$work/token.err")

# Defaults but the port; --every long enough that the fresh store is not
# synced again while it is measured.
"$bin/tabgov" --db "$db" serve --server "$sim" --site "" --pat-name admin-pat \
    --listen 127.0.0.1:0 --tokens-file "$work/tokens.txt" --every 24h 2> "$work/serve.log" &
serve_pid=$!
pids+=($serve_pid)
base=$(wait_for_address "$work/serve.log")
sleep 3
idle_rss=$(rss_mb "$serve_pid")

load=$(TABGOV_LOAD_TOKEN="$token" "$bin/examples/serve_load" --base "$base" \
    --clients "$clients" --requests "$requests" --path "/v1/accounts?limit=1000")
sleep 3
after_rss=$(rss_mb "$serve_pid")

python3 - "$load" "$users" "$idle_rss" "$after_rss" <<'PY'
import json, sys
load = json.loads(sys.argv[1])
users, idle, after = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
result = {"accounts": users, **load, "idle_rss_mb": idle, "rss_after_load_mb": after}
print(json.dumps(result), flush=True)
ok = load["p99_ms"] < 50 and idle < 50
print(f"p99 {load['p99_ms']:.1f} ms (target < 50), idle RSS {idle:.1f} MB (target < 50), "
      f"RSS after load {after:.1f} MB: {'met' if ok else 'NOT met'}", file=sys.stderr)
PY
