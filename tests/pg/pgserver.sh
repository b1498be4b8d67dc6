#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on 127.0.0.1 for the test suite.
#   pgserver.sh start DIR   initdb into a temp dir, listen on a free port, write DIR/url
#   pgserver.sh stop DIR    stop the cluster and remove its data directory
# The superuser `postgres` has the password in DIR/password; host logins use scram-sha-256,
# so tests can check a wrong password is refused (STORE-3).
set -euo pipefail
action=${1:?start|stop}
dir=${2:?state directory}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "pgserver: PostgreSQL server binaries not found under /usr/lib/postgresql; expected the postgresql package" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

stop_cluster() {
    [ -f "$dir/datadir" ] || return 0
    local data; data=$(cat "$dir/datadir")
    if [ -f "$data/cluster/postmaster.pid" ]; then
        as_pg "$pgbin/pg_ctl" -D "$data/cluster" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data"
    rm -f "$dir/datadir" "$dir/url"
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$action" in
start)
    mkdir -p "$dir"
    stop_cluster
    data=$(mktemp -d /tmp/gapless-pg.XXXXXX)
    echo "$data" > "$dir/datadir"
    password="gapless-test-$RANDOM$RANDOM"
    printf '%s\n' "$password" > "$data/pwfile"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$data"; fi
    as_pg "$pgbin/initdb" -D "$data/cluster" -U postgres --pwfile="$data/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$((20000 + RANDOM % 30000))
    for _ in $(seq 1 50); do port_free "$port" && break; port=$((20000 + RANDOM % 30000)); done
    as_pg "$pgbin/pg_ctl" -D "$data/cluster" -l "$data/cluster/log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$data/cluster/log" >&2; exit 1; }
    printf '%s\n' "$password" > "$dir/password"
    printf 'postgresql://postgres:%s@127.0.0.1:%s/postgres\n' "$password" "$port" > "$dir/url"
    echo "pgserver: listening on 127.0.0.1:$port"
    ;;
stop)
    stop_cluster
    echo "pgserver: stopped"
    ;;
*)
    echo "pgserver: unknown action '$action'; expected start or stop" >&2
    exit 2
    ;;
esac
