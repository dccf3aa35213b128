#!/usr/bin/env bash
# soak.sh HPO [--ci | --ci-sanitize] [soak.py options]: the soak campaign
# (soak.py: many workers on PostgreSQL and SQLite under SIGKILLs and server
# restarts, then the invariants and the figures).
#
#   bash tests/soak/soak.sh build/hpo                      # 120 s, 16 + 8 workers
#   bash tests/soak/soak.sh build/hpo --duration 1500      # the long run by hand
#   bash tests/soak/soak.sh build/hpo --ci                 # the ctest case
#
# --ci is the ctest case of the normal build: 75 s of chaos with 6
# PostgreSQL and 4 SQLite workers (16 + 8 do not fit the 2-3 minutes CI
# gives it on two cores), and the goal is required: 0 trials lost, exact
# counts, gapless numbers, >= 50 SIGKILLs, 2 server restarts.
# --ci-sanitize is the sanitizer build's: 60 s with 4 + 3 workers (every
# process under ASan is slower and larger); a sanitizer report makes its
# hpo exit non-zero, which the campaign reports.  Options given after
# these override them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
HPO=${1:?usage: soak.sh HPO [--ci | --ci-sanitize] [options]}
shift
preset=()
case "${1:-}" in
--ci)
    shift
    preset=(--duration 75 --pg-workers 6 --sqlite-workers 4 --require-goal)
    ;;
--ci-sanitize)
    shift
    preset=(--duration 60 --pg-workers 4 --sqlite-workers 3 --require-goal)
    ;;
esac
exec /usr/bin/python3 "$HERE/soak.py" --hpo "$HPO" "${preset[@]}" "$@"
