# Sourced by the scripts that start tableau-sim and `tabgov serve`
# (tests/bench/serve.sh, tests/scim/run.sh): a scratch directory and the
# processes started, both removed on exit, and the address a process
# prints when it listens.

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The address a process prints on its first "listening on" line (waits
# up to a minute).
wait_for_address() {
    local file="$1"
    for _ in $(seq 1 600); do
        if grep -q "listening on http://" "$file" 2>/dev/null; then
            grep -o "listening on http://[^ ]*" "$file" | head -1 | sed 's/listening on //'
            return 0
        fi
        sleep 0.1
    done
    echo "no address in $file:" >&2
    cat "$file" >&2
    return 1
}
