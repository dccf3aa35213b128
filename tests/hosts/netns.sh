# netns.sh — three test hosts on this machine, for tests that need a
# network between processes (sourced; bash).
#
#   hosts_up                 makes the hosts, sets HOSTS_DIR, NS_DB, NS_W1,
#                            NS_W2 and the addresses ADDR_DB, ADDR_W1, ADDR_W2
#   hosts_pg_start           a throw-away PostgreSQL server on the db host,
#                            listening on ADDR_DB:5432 only; sets PG_URL
#   hosts_down               stops everything started on the hosts and
#                            removes them (also run by the watcher)
#   hosts_remove_at_end PATH hosts_down also removes PATH (a test's
#                            scratch directory, when only the watcher runs)
#   on_host NS CMD ARGS...   runs CMD on a host, in the foreground (started
#                            in the background as a function, $! would be
#                            a subshell's: use `ip netns exec NS CMD &`)
#
# The hosts are network namespaces hpo-<PID>-db, -w1 and -w2 (PID: the
# test's shell).  Everything lives inside them, so nothing touches the
# machine's own network and two runs never meet:
#
#        hpo-PID-db                          hpo-PID-w1
#   br0 10.231.0.1/24 ── p-w1 ═══ veth ═══ eth0 10.231.0.2/24
#          └──────────── p-w2 ═══ veth ═══ eth0 10.231.0.3/24
#                                            hpo-PID-w2
#
# The bridge sits in the db namespace, so the workers also reach each
# other.  There is no default route: no host reaches anything else.
#
# A test killed from outside (ctest's timeout sends SIGKILL) runs no
# trap, so hosts_up also leaves a detached watcher that runs hosts_down
# once the test's shell is gone.  Needs root (ip netns) and iproute2.

HOSTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/netns.sh
HOSTS_SUBNET=10.231.0
PG_PORT=5432

hosts_die() {
    echo "netns.sh: $*" >&2
    exit 1
}

# on_host NS CMD ARGS...: CMD runs in namespace NS.
on_host() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@"
}

# Bring the db end of one worker's veth into the bridge and the worker
# end up with its address.
hosts_link_worker() {
    local ns=$1 port=$2 addr=$3
    ip -n "$NS_DB" link add "$port" type veth peer name eth0 netns "$ns" &&
        ip -n "$NS_DB" link set "$port" master br0 up &&
        ip -n "$ns" addr add "$addr/24" dev eth0 &&
        ip -n "$ns" link set eth0 up &&
        ip -n "$ns" link set lo up
}

hosts_up() {
    [ "$(id -u)" -eq 0 ] || hosts_die "needs root (ip netns)"
    command -v ip >/dev/null || hosts_die "no ip command: run scripts/setup.sh (iproute2)"
    HOSTS_DIR=$(mktemp -d /tmp/hpo-hosts.XXXXXX) || hosts_die "mktemp failed"
    chmod 755 "$HOSTS_DIR" # the postgres user reaches its data below it
    local id=$$
    NS_DB=hpo-$id-db NS_W1=hpo-$id-w1 NS_W2=hpo-$id-w2
    ADDR_DB=$HOSTS_SUBNET.1 ADDR_W1=$HOSTS_SUBNET.2 ADDR_W2=$HOSTS_SUBNET.3
    local ns
    for ns in "$NS_DB" "$NS_W1" "$NS_W2"; do
        # Listed before it exists, so that a failure half-way is undone.
        echo "$ns" >>"$HOSTS_DIR/namespaces"
        ip netns add "$ns" || hosts_die "cannot create namespace $ns"
    done
    hosts_watch "$$"
    ip -n "$NS_DB" link set lo up &&
        ip -n "$NS_DB" link add br0 type bridge &&
        ip -n "$NS_DB" addr add "$ADDR_DB/24" dev br0 &&
        ip -n "$NS_DB" link set br0 up &&
        hosts_link_worker "$NS_W1" p-w1 "$ADDR_W1" &&
        hosts_link_worker "$NS_W2" p-w2 "$ADDR_W2" ||
        hosts_die "cannot wire the namespaces"
}

# Detached (own session, no inherited pipes): ctest kills the test's
# process tree, not this.
hosts_remove_at_end() {
    echo "$1" >>"$HOSTS_DIR/remove"
}

hosts_watch() {
    setsid bash -c '
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        source "$0"
        HOSTS_DIR=$2
        hosts_down
    ' "$HOSTS_LIB" "$1" "$HOSTS_DIR" </dev/null >/dev/null 2>&1 &
}

hosts_pg_bin() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$initdb" ] || hosts_die "no PostgreSQL server binaries: run scripts/setup.sh"
    dirname "$initdb"
}

# The server's tools run as postgres from /: the test's working directory
# is root's and closed to them.
hosts_pg_start() {
    local bin pg=$HOSTS_DIR/pg
    bin=$(hosts_pg_bin) || exit 1
    mkdir -m 700 "$pg" && chown postgres:postgres "$pg" || hosts_die "cannot make $pg"
    (cd / && runuser -u postgres -- "$bin/initdb" -D "$pg/data" -U postgres --auth=trust \
        -E UTF8 --locale=C.UTF-8) >"$pg/initdb.log" 2>&1 ||
        { cat "$pg/initdb.log" >&2; hosts_die "initdb failed"; }
    echo "host all all $HOSTS_SUBNET.0/24 trust" >>"$pg/data/pg_hba.conf"
    (cd / && on_host "$NS_DB" runuser -u postgres -- "$bin/pg_ctl" -D "$pg/data" \
        -l "$pg/server.log" -w -t 30 \
        -o "-c listen_addresses=$ADDR_DB -c port=$PG_PORT -c unix_socket_directories=$pg -c fsync=off -c full_page_writes=off" \
        start >/dev/null) ||
        { cat "$pg/server.log" >&2; hosts_die "the server did not start"; }
    PG_URL=postgresql://postgres@$ADDR_DB:$PG_PORT/postgres
}

# Every process on NS: the test started them all.
hosts_kill_all() {
    local ns=$1 pids i
    for ((i = 0; i < 50; i++)); do
        pids=$(ip netns pids "$ns" 2>/dev/null)
        [ -z "$pids" ] && return 0
        kill -KILL $pids 2>/dev/null
        sleep 0.1
    done
    echo "netns.sh: processes left on $ns: $pids" >&2
}

hosts_down() {
    [ -n "${HOSTS_DIR:-}" ] && [ -d "$HOSTS_DIR" ] || return 0
    # Only one of the test's trap and the watcher does the work.
    mkdir "$HOSTS_DIR/.down" 2>/dev/null || return 0
    if [ -f "$HOSTS_DIR/pg/data/postmaster.pid" ]; then
        (cd / && runuser -u postgres -- "$(hosts_pg_bin)/pg_ctl" \
            -D "$HOSTS_DIR/pg/data" -m immediate -w -t 10 stop >/dev/null 2>&1)
    fi
    local ns
    while read -r ns; do
        hosts_kill_all "$ns"
        ip netns del "$ns" 2>/dev/null
    done <"$HOSTS_DIR/namespaces"
    local path
    if [ -f "$HOSTS_DIR/remove" ]; then
        while read -r path; do rm -rf "$path"; done <"$HOSTS_DIR/remove"
    fi
    rm -rf "$HOSTS_DIR"
}
