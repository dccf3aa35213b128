# url_redaction.sh HPO: a password in a --storage URL is never printed:
# every command that shows the URL shows user:***@host (and password=***
# among its options).  The URLs point at a closed port on this machine,
# so each command fails at once with a message that names the URL.
# (worker_heartbeat_pg.sh checks the same against a live server.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

URL='postgresql://alice:s3cret@127.0.0.1:1/db'
SHOWN='postgresql://alice:***@127.0.0.1:1/db'
for cmd in "studies" "best --study s" "trials --study s" "worker --study s" \
    "enqueue --study s -p x=1" "delete-study --study s --yes" \
    "tune --study s -n 1 -- true"; do
    read -r name args <<<"$cmd"
    run "$HPO" "$name" --storage "$URL" $args
    expect_true "$name: fails" test "$RC" -ne 0
    expect_true "$name: shows the URL redacted" grep -qF "'$SHOWN'" .err
    expect_true "$name: never the password" bash -c '! grep -q s3cret .out .err'
done

# The other places a password can be: an option, a '@' inside it, the
# short scheme.  A URL without a password is shown as it is.
check() { # URL SHOWN
    run "$HPO" studies --storage "$1"
    expect_match "shown as $2" "$ERR" "^hpo studies: --storage '$(sed 's/[]*.?[]/\\&/g' <<<"$2")': "
}
check 'postgresql://alice@127.0.0.1:1/db?password=s3cret&sslmode=disable' \
    'postgresql://alice@127.0.0.1:1/db?password=***&sslmode=disable'
check 'postgres://alice:p@ss:w0rd@127.0.0.1:1/db' 'postgres://alice:***@127.0.0.1:1/db'
check 'postgresql://alice@127.0.0.1:1/db' 'postgresql://alice@127.0.0.1:1/db'
expect_true "no password anywhere" bash -c '! grep -qE "s3cret|w0rd" .out .err'
finish
