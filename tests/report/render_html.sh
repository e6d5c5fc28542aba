#!/usr/bin/env bash
# Renders the HTML licence report of a simulated site to a PNG with headless
# Chromium, so anyone can look at the page without a browser at hand.
#
#   tests/report/render_html.sh [OUT.png]     (default docs/images/license-report.png)
#
# Needs a Rust toolchain and Chromium (Debian: apt-get install -y chromium;
# elsewhere set CHROMIUM=/path/to/chrome). Run by hand, not by CI: it starts
# tableau-sim on a free local port, syncs a seeded 300-user site into a
# scratch store, writes the report with `tabgov report licenses --format html`
# and screenshots it at 1200x1600. The HTML itself is kept next to the PNG's
# scratch directory only for the run; nothing is fetched from the network.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-"$root/docs/images/license-report.png"}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [[ -z "$chromium" ]]; then
  echo "error: no Chromium found: apt-get install -y chromium, or set CHROMIUM=/path/to/chrome" >&2
  exit 2
fi

work=$(mktemp -d)
sim_pid=""
cleanup() {
  if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && cargo build --quiet -p tabgov -p tableau-sim)
bin="$root/target/debug"

"$bin/tableau-sim" --users 300 --groups 12 --seed 7 --addr 127.0.0.1:0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/sim.out" 2>/dev/null && break
  sleep 0.1
done
server=$(sed -n 's/^listening on //p' "$work/sim.out")
if [[ -z "$server" ]]; then
  echo "error: tableau-sim did not start:" >&2
  cat "$work/sim.err" >&2
  exit 1
fi

export TABGOV_PAT_SECRET=admin-secret
"$bin/tabgov" --db "$work/tabgov.db" -q sync --server "$server" --site "" --pat-name admin-pat >/dev/null
"$bin/tabgov" --db "$work/tabgov.db" report licenses --exclude-group "Service Accounts" \
  --format html --out "$work/license-report.html"

mkdir -p "$(dirname "$out")"
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium-profile" --hide-scrollbars \
  --screenshot="$out" --window-size=1200,1600 "file://$work/license-report.html" 2>"$work/chromium.err" \
  || { cat "$work/chromium.err" >&2; exit 1; }
echo "wrote $out"
