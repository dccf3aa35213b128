#!/usr/bin/env bash
# pg_server.sh — a throw-away PostgreSQL cluster for tests.
#
#   pg_server.sh start [DIR]   initdb into DIR (default: a new /tmp/hpo_pg.XXXXXX),
#                              start a server on 127.0.0.1 and a free port with
#                              trust authentication, fsync off; prints two
#                              lines: the URL (postgresql://postgres@127.0.0.1:
#                              PORT/postgres) and DIR.  DIR/url holds the URL.
#   pg_server.sh stop DIR      stop the server and remove DIR
#   pg_server.sh restart DIR [fast|immediate] [DOWN_S]
#                              stop and start again on the same port; fast
#                              (the default) disconnects clients cleanly,
#                              immediate is a crash (recovery on start);
#                              DOWN_S: stay stopped that many seconds first
#
# With PG_SERVER_WATCH=PID in the environment, start also leaves a watcher
# that stops the server and removes DIR once process PID is gone, so a test
# killed by its timeout leaves no server behind.
#
# fsync and full_page_writes are off (speed; only an OS crash could lose
# data); every COMMIT is still written to the WAL before it returns, so a
# server crash (restart immediate) loses no acknowledged transaction.
#
# With PG_SERVER_FSYNC=on in the environment of start, the cluster keeps
# PostgreSQL's durable defaults instead (fsync, full_page_writes and
# synchronous_commit on), also across restarts: hpo-bench storage compares
# storages at equal durability on such a server.
#
# Exit status: 0 done; 1 a step failed (the server log is printed to
# stderr); 3 no PostgreSQL server binaries (run scripts/setup.sh).
#
# As root the server runs as user postgres (initdb refuses root); as any
# other user it runs as that user.  The socket lives in DIR, so the system's
# cluster (if any) is untouched.
set -uo pipefail
# The server runs as user postgres, which may not be able to enter the
# caller's working directory (root's mktemp -d): work from / instead,
# with this script's path and a DIR argument made absolute first.
SELF=$(readlink -f "$0")
if [ $# -ge 2 ] && [ -n "$2" ] && [ "${2#/}" = "$2" ]; then
    set -- "$1" "$(readlink -f "$2")" "${@:3}"
fi
cd / || exit 1

die() {
    echo "pg_server.sh: $*" >&2
    exit 1
}

find_bin() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -z "$initdb" ] && initdb=$(command -v initdb 2>/dev/null)
    if [ -z "$initdb" ] || [ ! -x "$initdb" ]; then
        echo "pg_server.sh: no PostgreSQL server binaries" \
            "(/usr/lib/postgresql/*/bin/initdb): run scripts/setup.sh" >&2
        exit 3
    fi
    PGBIN=$(dirname "$initdb")
}

# Run a server binary as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        port_busy "$port" || { echo "$port"; return 0; }
    done
    return 1
}

# pg_ctl start on DIR's port; returns pg_ctl's status.
start_server() {
    local dir=$1 port=$2 speed="-c fsync=off -c full_page_writes=off"
    [ -e "$dir/fsync-on" ] && speed=""
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $speed" \
        start >/dev/null
}

cmd_start() {
    local dir=${1:-}
    find_bin
    if [ -z "$dir" ]; then
        dir=$(mktemp -d /tmp/hpo_pg.XXXXXX) || die "mktemp failed"
    fi
    mkdir -p "$dir" || die "cannot create $dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
    if [ "${PG_SERVER_FSYNC:-off}" = on ]; then touch "$dir/fsync-on"; fi
    as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed in $dir"; }
    local port
    for _ in 1 2 3 4 5; do
        port=$(pick_port) || die "no free port"
        if start_server "$dir" "$port"; then
            echo "$port" >"$dir/port"
            echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
            cat "$dir/url"
            echo "$dir"
            [ -n "${PG_SERVER_WATCH:-}" ] && watch_owner "$PG_SERVER_WATCH" "$dir"
            return 0
        fi
        # Someone took the port between the check and the bind: try another.
        grep -q "could not bind\|already in use" "$dir/server.log" 2>/dev/null || break
    done
    cat "$dir/server.log" >&2
    die "the server in $dir did not start"
}

# Detached (own session, no inherited pipes), so callers reading our output
# see end of file at once.
watch_owner() {
    local pid=$1 dir=$2
    setsid bash -c '
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        [ -d "$2/data" ] && bash "$0" stop "$2"
    ' "$SELF" "$pid" "$dir" </dev/null >/dev/null 2>&1 &
}

check_dir() {
    [ -n "${1:-}" ] && [ -f "$1/port" ] && [ -d "$1/data" ] ||
        die "'${1:-}' is not a directory made by pg_server.sh start"
}

cmd_stop() {
    check_dir "${1:-}"
    find_bin
    as_owner "$PGBIN/pg_ctl" -D "$1/data" -m fast -w -t 30 stop >/dev/null 2>&1
    rm -rf "$1"
}

cmd_restart() {
    check_dir "${1:-}"
    find_bin
    local mode=${2:-fast}
    case "$mode" in fast | immediate) ;; *) die "restart mode '$mode'" ;; esac
    as_owner "$PGBIN/pg_ctl" -D "$1/data" -m "$mode" -w -t 30 stop >/dev/null ||
        die "stop failed"
    sleep "${3:-0}"
    start_server "$1" "$(cat "$1/port")" ||
        { cat "$1/server.log" >&2; die "restart failed"; }
}

case "${1:-}" in
start) cmd_start "${2:-}" ;;
stop) cmd_stop "${2:-}" ;;
restart) cmd_restart "${2:-}" "${3:-}" "${4:-}" ;;
*)
    echo "usage: pg_server.sh start [DIR] | stop DIR | restart DIR [fast|immediate] [DOWN_S]" >&2
    exit 2
    ;;
esac
