# dashboard_security.sh HPO: `hpo dashboard` binds loopback by default,
# serves only its own pages (no path traversal), refuses every method but
# GET/HEAD, request bodies, overlong paths and requests, and Host names that
# are not loopback (DNS rebinding); its study list is live and answers 304
# while nothing changed; Ctrl-C stops it with exit 0 (skipped without SQLite or curl).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
if ! command -v curl >/dev/null; then
    echo "SKIP: no curl"
    exit 0
fi
DB="sqlite:///$TMP/d.db"
run "$HPO" tune --storage "$DB" --study first -q -n 3 -p x=float:0:1 -- echo {x}
expect_eq "tune: exit 0" "$RC" 0

# start_dashboard ARGS...: PID and PORT of a dashboard on a free port.
start_dashboard() {
    "$HPO" dashboard --storage "$DB" --port 0 "$@" 2>"$TMP/dash.err" &
    PID=$!
    PORT=
    local i
    for ((i = 0; i < 100; i++)); do
        PORT=$(grep -o ':[0-9]*/ serving' "$TMP/dash.err" | tr -dc 0-9 || true)
        [[ -z $PORT ]] || break
        sleep 0.05
    done
    [[ -n $PORT ]] || fail "the dashboard printed no address: $(cat "$TMP/dash.err")"
}

# code ARGS...: the HTTP status curl gets (000: no answer); the body is in
# $TMP/body and the headers in $TMP/head.
code() {
    rm -f "$TMP/body"
    : >"$TMP/body"
    curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$@" || true
}

start_dashboard
BASE="http://127.0.0.1:$PORT"
expect_match "the address printed" "$(cat "$TMP/dash.err")" \
    "^hpo dashboard: http://127\.0\.0\.1:$PORT/ serving sqlite:///.*read-only"

# Bound to loopback only: nothing listens on the machine's other addresses.
LISTEN=$(ss -ltnH "sport = :$PORT" 2>/dev/null | awk '{print $4}')
expect_eq "listens on 127.0.0.1 only" "$LISTEN" "127.0.0.1:$PORT"

expect_eq "GET /" "$(code "$BASE/")" 200
expect_match "a page" "$(cat "$TMP/body")" "<title>hpo dashboard</title>"
HEAD=$(tr -d '\r' <"$TMP/head")
expect_match "nosniff" "$HEAD" "X-Content-Type-Options: nosniff"
expect_match "no framing" "$HEAD" "X-Frame-Options: DENY"
expect_match "a content security policy" "$HEAD" \
    "Content-Security-Policy: default-src 'none'"

expect_eq "GET /api/studies" "$(code "$BASE/api/studies")" 200
expect_eq "the study list" "$(cat "$TMP/body")" \
    '[{"name":"first","directions":["minimize"],"n_trials":3}]'
ETAG=$(tr -d '\r' <"$TMP/head" | sed -n 's/^ETag: //p')
expect_match "an ETag" "$ETAG" '^"[0-9a-f]{16}"$'
expect_eq "unchanged: 304" \
    "$(code -H "If-None-Match: $ETAG" "$BASE/api/studies")" 304
expect_eq "304 has no body" "$(wc -c <"$TMP/body")" 0

expect_eq "a study's document" "$(code "$BASE/api/study?name=first")" 200
SIZE=$(wc -c <"$TMP/body")
DOC_ETAG=$(tr -d '\r' <"$TMP/head" | sed -n 's/^ETag: //p')
expect_eq "the document unchanged: 304" \
    "$(code -H "If-None-Match: $DOC_ETAG" "$BASE/api/study?name=first")" 304
expect_eq "its 304 has no body" "$(wc -c <"$TMP/body")" 0
expect_eq "another ETag: the document" \
    "$(code -H 'If-None-Match: "0000000000000000"' \
        "$BASE/api/study?name=first")" 200
expect_eq "the whole document" "$(wc -c <"$TMP/body")" "$SIZE"

# Live: trials added by another process show on the next request.
run "$HPO" tune --storage "$DB" --study first -q -n 5 -p x=float:0:1 -- echo {x}
expect_eq "changed: 200" \
    "$(code -H "If-None-Match: $ETAG" "$BASE/api/studies")" 200
expect_match "the new count" "$(cat "$TMP/body")" '"n_trials":5'

# Read-only: no other method, no body.
for method in POST PUT DELETE PATCH OPTIONS; do
    expect_eq "$method refused" "$(code -X "$method" "$BASE/api/studies")" 405
done
expect_match "Allow names GET" "$(tr -d '\r' <"$TMP/head")" "Allow: GET, HEAD"
expect_eq "a GET with a body" "$(code -X GET --data-binary x=1 "$BASE/")" 413
expect_eq "HEAD" "$(code -I "$BASE/")" 200

# Nothing outside its own pages.
for path in /../../../../etc/passwd /%2e%2e/%2e%2e/etc/passwd \
    /api/../../etc/passwd '/api/studies/../../../etc/passwd' \
    /etc/passwd '/..%2f..%2fetc%2fpasswd' /api/studies/x /index.html; do
    expect_eq "$path: 404" "$(code --path-as-is "$BASE$path")" 404
    if grep -q "root:" "$TMP/body"; then
        fail "$path served a file"
    fi
done

# Bounds: a long path, and a request head beyond 16 KiB.
LONG=$(head -c 600 /dev/zero | tr '\0' a)
expect_eq "a 600-byte path" "$(code "$BASE/$LONG")" 414
HUGE=$(head -c 20000 /dev/zero | tr '\0' a)
expect_match "a 20 kB query" "$(code "$BASE/?q=$HUGE")" '^4[0-9][0-9]$'
expect_match "a 20 kB header" "$(code -H "X-Big: $HUGE" "$BASE/")" \
    '^4[0-9][0-9]$'
expect_eq "still serving after them" "$(code "$BASE/")" 200

# DNS rebinding: a Host that is not loopback is refused.
for host in evil.example 127.evil.example localhost.evil.example \
    '[::2]:80'; do
    expect_eq "Host $host: 403" "$(code -H "Host: $host" "$BASE/")" 403
done
expect_eq "Host localhost" "$(code -H "Host: localhost:$PORT" "$BASE/")" 200

# A study deleted by another process leaves the list at once.
run "$HPO" tune --storage "$DB" --study second -q -n 1 -p x=float:0:1 -- echo {x}
run "$HPO" delete-study --storage "$DB" --study first --yes
expect_eq "after a delete" "$(code "$BASE/api/studies")" 200
expect_eq "the list without it" "$(cat "$TMP/body")" \
    '[{"name":"second","directions":["minimize"],"n_trials":1}]'

kill -INT "$PID"
set +e
wait "$PID"
RC=$?
set -e
expect_eq "Ctrl-C: exit 0" "$RC" 0
expect_match "says it stopped" "$(cat "$TMP/dash.err")" "hpo dashboard: stopped"

# Another address is served only when asked, with a warning.
start_dashboard --host 0.0.0.0
expect_match "a warning for a non-loopback address" "$(cat "$TMP/dash.err")" \
    "warning: 0.0.0.0 is not a loopback address"
expect_eq "no Host check off loopback" \
    "$(code -H "Host: example.org" "http://127.0.0.1:$PORT/")" 200
kill -TERM "$PID"
wait "$PID" || true

# Usage errors, and a port that is taken.
expect_usage_error "hpo dashboard: --port: '70000' is out of range (0 to 65535)" \
    dashboard --storage "$DB" --port 70000
start_dashboard
run "$HPO" dashboard --storage "$DB" --port "$PORT"
expect_eq "port taken: exit 1" "$RC" 1
expect_match "port taken: says so" "$ERR" "cannot listen on 127.0.0.1 port $PORT"
kill -INT "$PID"
wait "$PID" || true
run "$HPO" dashboard --storage "sqlite:///$TMP/none.db"
expect_eq "no such storage: exit 2" "$RC" 2
expect_true "no file made" test ! -e "$TMP/none.db"

finish
