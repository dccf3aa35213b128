# secrets.sh HPO: a password planted in every place hpo sees one never
# shows in what hpo prints, stores or hands on:
#   - storage URLs: user:PASSWORD@, ?password=, ?sslpassword=, for the
#     sqlite, postgresql and unknown schemes, malformed ones included
#     (libpq's own parse errors quote the whole URI);
#   - hpo's own command line as other processes read it (/proc/PID/cmdline);
#   - a child's arguments (--api-key=PW, --token PW, a URL, NAME_PASSWORD=PW,
#     inside sh -c text): run as given, stored in hpo:cli as ***;
#   - PGPASSWORD in hpo's environment: not passed to children.
# Checked: every line hpo printed, the children's environment, the
# database files.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

PW=Pl4ntedSecret
ENC=Pl4nted%53ecret # the same password, percent-encoded
: >printed.txt
# hpo_run ARGS...: run hpo, keep everything it printed.
hpo_run() {
    run "$HPO" "$@"
    printf '%s\n%s\n' "$OUT" "$ERR" >>printed.txt
}

# 1. URLs, in every command that opens a storage.
urls=(
    "mysql://u:$PW@h/db"
    "postgresql://user:$PW@[::1:5432/db"
    "postgresql://user:$ENC@[::1:5432/db"
    "postgresql://user:$PW@127.0.0.1:1/db"
    "postgres://user:p@$PW@127.0.0.1:1/db"
    "postgresql://user@127.0.0.1:1/db?password=$PW&sslmode=disable"
    "postgresql://user@127.0.0.1:1/db?sslpassword=$PW"
    "postgresql://user@[::1/db?password=$PW"
    "sqlite://u:$PW@h/db"
    "sqlite:///x.db?password=$PW"
    "memory://u:$PW@h"
)
for url in "${urls[@]}"; do
    for cmd in "tune --study s -n 1 -p x=float:0:1 -- echo 1" "worker --study s" \
        "studies" "trials --study s"; do
        read -r name args <<<"$cmd"
        hpo_run "$name" --storage "$url" $args
        expect_true "$name --storage ${url//$PW/PW}: fails" test "$RC" -ne 0
    done
    hpo_run tune "--storage=$url" --study s -n 1 -p x=float:0:1 -- echo 1
done
expect_true "URLs: the errors say something" grep -q "hpo tune: --storage 'postgresql://user:\*\*\*@\[::1:5432/db'" printed.txt

# 2. hpo's command line, as a child (or ps) reads it: a server that
#    accepts and never answers keeps hpo connecting for a moment.
if "$HPO" studies --storage "postgresql://u@127.0.0.1:1/db" 2>&1 |
    grep -q "not supported\|not compiled"; then
    echo "note: no PostgreSQL in this build; the command line is not checked"
else
    python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(30)' >port.txt &
    server=$!
    for ((i = 0; i < 100; i++)); do [[ -s port.txt ]] && break; sleep 0.05; done
    port=$(<port.txt)
    "$HPO" studies --storage "postgresql://u:$PW@127.0.0.1:$port/db?connect_timeout=2" \
        >>printed.txt 2>&1 &
    hpo=$!
    sleep 0.5
    tr '\0' ' ' </proc/$hpo/cmdline >cmdline.txt || true
    wait $hpo || true
    kill $server 2>/dev/null || true
    wait $server 2>/dev/null || true
    expect_true "cmdline: read while hpo connects" grep -q "studies --storage" cmdline.txt
    expect_true "cmdline: the password is hidden" bash -c "! grep -q $PW cmdline.txt"
fi

# 3. A real run: secrets in the child's arguments, PGPASSWORD in hpo's
#    environment.  The child records its arguments and environment.
cat >child.sh <<'SH'
printf '%s\n' "$@" >"args.$HPO_TRIAL_NUMBER"
env >"env.$HPO_TRIAL_NUMBER"
echo 1
SH
if have_sqlite; then
    DB="sqlite:///$TMP/s.db"
    PGPASSWORD=$PW hpo_run tune --storage "$DB" --study s -n 2 -p x=float:0:1 \
        -- sh child.sh --api-key=$PW --token $PW "postgresql://u:$PW@h/db" \
        "DB_PASSWORD=$PW" "sh -c './train --client-secret=$PW --lr={x}'" --lr {x} \
        --max-tokens 7 --token-file tf --api-key {x}
    expect_eq "run: exit 0" "$RC" 0
    expect_true "run: the child got its real arguments" grep -qx -- "--api-key=$PW" args.0
    expect_true "run: ... all of them" grep -qx -- "DB_PASSWORD=$PW" args.1
    expect_true "run: placeholders are not secrets" grep -q -- "--lr=0\." args.0
    expect_true "run: no PGPASSWORD in the child's environment" \
        bash -c '! grep -q "^PGPASSWORD=" env.0 env.1'
    expect_true "run: no password in the child's environment" \
        bash -c "! grep -q $PW env.0 env.1"
    expect_true "run: hpo:cli keeps the command, secrets as ***" \
        grep -aqF -- '"--api-key=***","--token","***","postgresql://u:***@h/db","DB_PASSWORD=***","sh -c '"'"'./train --client-secret=*** --lr={x}'"'"'"' s.db
    expect_true "run: what only resembles a secret is kept" \
        grep -aqF -- '"--max-tokens","7","--token-file","tf","--api-key","{x}"' s.db
    for what in "trials --study s --format json" "studies" "best --study s"; do
        hpo_run $what --storage "$DB"
        expect_eq "$what: works" "$RC" 0
    done
    # A worker cannot run a command whose secret was not stored: it says
    # so rather than passing *** on.
    hpo_run worker --storage "$DB" --study s -n 1
    expect_eq "worker: refuses (exit 2)" "$RC" 2
    expect_match "worker: says why" "$ERR" \
        "study s: its command had a secret in argument '--api-key=\*\*\*', which hpo does not store; give the child its secret in the environment instead"
    expect_true "database: no password in any file" \
        bash -c "! grep -aq $PW s.db*"
fi

expect_true "printed: something" test -s printed.txt
expect_true "printed: never the password" bash -c "! grep -q -e $PW -e $ENC printed.txt"
grep -e "$PW" -e "$ENC" printed.txt | head -5 >&2 || true
finish
