#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests.
#
#   server.sh start DIR   initdb into DIR/data (or restart the cluster already
#                         there), start it on a free loopback port and print
#                         its admin URL, postgres://tabgov@127.0.0.1:PORT/postgres
#                         (the only thing on stdout; also written to DIR/url)
#   server.sh stop DIR    stop it; succeeds if it is already gone
#   server.sh bindir      print the directory of the server binaries used
#
#   export TABGOV_TEST_POSTGRES=$(bash tests/postgres/server.sh start /tmp/tabgov-pg)
#
# Authentication is trust on loopback: any local user may connect as the
# superuser while it runs. Only for test servers holding nothing of value.
set -euo pipefail

pg_user=tabgov-pg # system user the server runs as when we are root

die() {
    echo "server.sh: $*" >&2
    exit 1
}

# Debian installs each major version side by side under
# /usr/lib/postgresql/<version>/bin; take the newest one from 15 on.
bindir() {
    local d v best="" best_v=0
    for d in /usr/lib/postgresql/*/bin; do
        v=$(basename "$(dirname "$d")")
        if [[ $v =~ ^[0-9]+$ ]] && ((v >= 15 && v > best_v)) && [ -x "$d/postgres" ]; then
            best=$d best_v=$v
        fi
    done
    if [ -z "$best" ]; then
        echo "server.sh: no PostgreSQL 15 or newer under /usr/lib/postgresql:" \
            "install Debian's postgresql package (apt-get install postgresql)." >&2
        exit 3
    fi
    echo "$best"
}

# initdb, pg_ctl and postgres refuse to run as root: as root, run them as an
# unprivileged system user instead.
as_pg() {
    if ((EUID == 0)); then runuser -u "$pg_user" -- "$@"; else "$@"; fi
}

ensure_pg_user() {
    ((EUID == 0)) || return 0
    # Two starts at once must not both run useradd (the second may overwrite
    # the first's entry): they take turns on a lock of this script.
    local lock
    exec {lock}<"${BASH_SOURCE[0]}"
    flock "$lock"
    id -u "$pg_user" >/dev/null 2>&1 ||
        useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
    exec {lock}<&-
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 bin data log port url
    bin=$(bindir) || return 0
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd) # the socket directory must be absolute
    data=$dir/data
    log=$dir/server.log
    ensure_pg_user

    if [ -f "$data/PG_VERSION" ]; then
        if (cd "$dir" && as_pg "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1); then
            die "a server is already running in $dir ($(cat "$dir/url" 2>/dev/null || echo "URL unknown")): stop it first with: server.sh stop $dir"
        fi
        echo "server.sh: restarting the cluster already in $data" >&2
    else
        # Never take over a directory that holds something else.
        [ -z "$(ls -A "$dir")" ] || die "$dir is neither empty nor a directory this script started a server in"
        ((EUID == 0)) && chown "$pg_user" "$dir"
        chmod 700 "$dir"
        (cd "$dir" && as_pg "$bin/initdb" -D "$data" -U tabgov --auth=trust \
            --encoding=UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1) ||
            { cat "$dir/initdb.log" >&2; die "initdb failed in $data (the user $(as_pg id -un) must be able to reach $dir)"; }
        # Later lines win over initdb's. A crash loses the data: fine here.
        cat >>"$data/postgresql.conf" <<EOF

# tests/postgres/server.sh: a fast throw-away test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir//\'/\'\'}'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi

    # The port is free when asked but may be taken before postgres binds it:
    # then try another.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        rm -f "$log"
        if (cd "$dir" && as_pg "$bin/pg_ctl" start -D "$data" -l "$log" -o "-p $port" -w -t 60 >&2); then
            break
        fi
        if ((attempt < 5)) && grep -q 'Address already in use' "$log" 2>/dev/null; then
            echo "server.sh: port $port was taken, trying another" >&2
            continue
        fi
        cat "$log" >&2 2>/dev/null || true
        die "the server in $data did not start (log above)"
    done

    # pg_ctl -w waits for the server; check the TCP address the tests will use.
    for _ in $(seq 1 300); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U tabgov -d postgres && break
        sleep 0.1
    done
    if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U tabgov -d postgres; then
        cat "$log" >&2
        stop "$dir"
        die "the server started but does not accept connections on 127.0.0.1:$port (log above)"
    fi

    url="postgres://tabgov@127.0.0.1:$port/postgres"
    echo "$url" >"$dir/url"
    echo "$url"
}

stop() {
    local dir=$1 bin
    if [ ! -f "$dir/data/postmaster.pid" ]; then
        echo "server.sh: no server running in $dir" >&2
        return 0
    fi
    dir=$(cd "$dir" && pwd)
    bin=$(bindir) || return 0
    (cd "$dir" && as_pg "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >&2) ||
        echo "server.sh: pg_ctl stop failed in $dir; the server is probably gone already" >&2
}

case "${1:-} ${2:-}" in
start\ ?*) start "$2" ;;
stop\ ?*) stop "$2" ;;
bindir\ *) bindir ;;
*)
    echo "usage: server.sh start DIR | stop DIR | bindir" >&2
    exit 2
    ;;
esac
