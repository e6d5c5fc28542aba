#!/usr/bin/env bash
# SCIM compliance: the checker scim2-tester (pinned in requirements.txt,
# installed into a virtualenv under target/) against `tabgov serve` and
# tableau-sim. Syncs a small simulated site into a fresh store, makes a
# `scim` token, starts the service on a free port and runs scim2_check.py,
# which fails on any failed check not documented in docs/scim.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/scim-venv"

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "scim2-tester needs Python 3.11 or newer" >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/scim/requirements.txt

cargo build --quiet -p tabgov --bin tabgov
cargo build --quiet -p tableau-sim
bin="$target/debug"

# shellcheck source=../processes.sh
source "$root/tests/processes.sh"

"$bin/tableau-sim" --users 40 --groups 6 --memberships-per-user 2 --owners-fraction 0.2 \
    --seed 11 > "$work/sim.out" &
pids+=($!)
sim=$(wait_for_address "$work/sim.out")

export TABGOV_PAT_SECRET=admin-secret
unset TABGOV_DB RUST_LOG
db="sqlite://$work/store.db"
"$bin/tabgov" --db "$db" -q sync --server "$sim" --site "" --pat-name admin-pat
"$bin/tabgov" token new --name scim-check --scope scim > "$work/tokens.txt" 2> "$work/token.err"
token=$(sed -n 's/.*keep it secret): //p' "$work/token.err")

# The checker creates and deletes dozens of users: the removal guard's
# limit is raised so its clean-up is not refused.
cat > "$work/tabgov.toml" <<TOML
[[site]]
name = "checker"
server = "$sim"
site = ""
pat_name = "admin-pat"
every = "24h"

[site.scim]
max_removals = 1000

[serve]
listen = "127.0.0.1:0"
tokens_file = "$work/tokens.txt"
TOML
(cd "$work" && exec "$bin/tabgov" --db "$db" serve 2> "$work/serve.log") &
pids+=($!)
base=$(wait_for_address "$work/serve.log")

status=0
TABGOV_SCIM_TOKEN="$token" "$venv/bin/python" tests/scim/scim2_check.py "$base/scim/v2/checker" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- tabgov serve's log" >&2
    tail -n 40 "$work/serve.log" >&2
fi
exit "$status"
