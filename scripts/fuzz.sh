#!/usr/bin/env bash
# fuzz.sh — build the libFuzzer harnesses of fuzz/targets/ with clang
# (ASan + UBSan) and run each for a bounded time; print the campaign's
# summary and exit 1 on any crash, sanitizer report, leak, timeout or
# broken invariant.  docs/fuzzing.md tells how to read and extend it.
#
#   scripts/fuzz.sh [-t SECONDS] [-j JOBS] [-B DIR] [HARNESS...]
#
#   -t SECONDS  per harness (default $FUZZ_TIME, else 20)
#   -j JOBS     harnesses run at once (default: the number of cores)
#   -B DIR      build directory (default build-fuzz)
#   HARNESS...  only these (default: every fuzz/targets/*.c)
#
# The corpus each harness grows is kept in DIR/corpus/NAME (so a long run
# by hand goes on where the last stopped); fuzz/corpus/NAME (the seeds)
# and fuzz/regressions/NAME are read, never written.  A failing input is
# saved as DIR/artifacts/NAME/crash-* (or leak-, timeout-, oom-); replay it
# with DIR/fuzz/fuzz_NAME FILE, and once fixed add it to
# fuzz/regressions/NAME/ so that ctest replays it in every build.
set -euo pipefail
cd "$(dirname "$0")/.."

time_s=${FUZZ_TIME:-20}
jobs=$(nproc 2>/dev/null || echo 2)
dir=build-fuzz
while getopts "t:j:B:h" opt; do
    case $opt in
    t) time_s=$OPTARG ;;
    j) jobs=$OPTARG ;;
    B) dir=$OPTARG ;;
    *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
    harnesses=("$@")
else
    harnesses=()
    for f in fuzz/targets/*.c; do harnesses+=("$(basename "$f" .c)"); done
fi

cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null; then
    echo "fuzz: $cc not found (scripts/setup.sh installs clang)" >&2
    exit 2
fi

# -O1 -g without NDEBUG: asserts stay on, stacks stay readable.  The
# learners are not fuzzed (their data reader, src/ml/data.c, is kept
# without them).
echo "== $dir: configure and build the harnesses ($cc)"
cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DHPO_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
    -DHPO_TESTS=OFF -DHPO_BENCH=OFF -DHPO_EXAMPLES=OFF -DHPO_WITH_ML=OFF \
    >/dev/null
cmake --build "$dir" -j "$jobs" --target fuzz >/dev/null

# Sanitizer reports abort the run (libFuzzer keeps the input); leaks count.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

# The dictionary a harness names in its opening comment.
dict_of() {
    sed -n 's/^ \* Dictionary: \(fuzz\/dict\/[a-z_]*\.dict\)$/\1/p' \
        "fuzz/targets/$1.c"
}

run_one() { # NAME
    local name=$1 exe="$dir/fuzz/fuzz_$1" log="$dir/logs/$1.log"
    local work="$dir/corpus/$name" art="$dir/artifacts/$name/" dict
    rm -rf "$art"
    mkdir -p "$work" "$art" "$dir/logs"
    local args=(-max_total_time="$time_s" -print_final_stats=1 -timeout=10
                -rss_limit_mb=2048 -artifact_prefix="$art")
    dict=$(dict_of "$name")
    [ -n "$dict" ] && args+=(-dict="$dict")
    local seeds=("fuzz/corpus/$name")
    [ -d "fuzz/regressions/$name" ] && seeds+=("fuzz/regressions/$name")
    local rc=0
    "$exe" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1 || rc=$?
    echo "$rc" >"$dir/logs/$name.rc"
}

if [ ! -x "$dir/fuzz/fuzz_${harnesses[0]}" ]; then
    echo "fuzz: no harness ${harnesses[0]} in $dir/fuzz" >&2
    exit 2
fi
echo "== fuzzing ${#harnesses[@]} harnesses, ${time_s} s each, $jobs at a time"
started=$(date +%s)
running=0
for h in "${harnesses[@]}"; do
    if [ ! -x "$dir/fuzz/fuzz_$h" ]; then
        echo "fuzz: no harness $h" >&2
        exit 2
    fi
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
elapsed=$(($(date +%s) - started))

# The summary, from libFuzzer's final statistics.
stat() { # LOG KEY
    sed -n "s/^stat::$2: *\([0-9]*\)/\1/p" "$1" | tail -n 1
}
total_execs=0
failed=0
printf '%-14s %12s %9s %8s %8s  %s\n' harness executions exec/s corpus crashes status
for h in "${harnesses[@]}"; do
    log="$dir/logs/$h.log"
    rc=$(cat "$dir/logs/$h.rc" 2>/dev/null || echo 1)
    execs=$(stat "$log" number_of_executed_units)
    rate=$(stat "$log" average_exec_per_sec)
    found=$(find "$dir/artifacts/$h" -type f 2>/dev/null | wc -l)
    corpus=$(find "$dir/corpus/$h" -type f | wc -l)
    status=ok
    if [ "$rc" != 0 ] || [ "$found" -gt 0 ] ||
        grep -q -e "ERROR: AddressSanitizer" -e "ERROR: LeakSanitizer" \
            -e "runtime error:" "$log"; then
        status="FAILED (exit $rc; see $log)"
        failed=$((failed + 1))
        [ "$found" -eq 0 ] && found=1
    fi
    total_execs=$((total_execs + ${execs:-0}))
    printf '%-14s %12s %9s %8s %8s  %s\n' "$h" "${execs:-?}" "${rate:-?}" \
        "$corpus" "$found" "$status"
done
printf '%-14s %12s %9s %8s %8s\n' total "$total_execs" \
    "$((total_execs / (elapsed > 0 ? elapsed : 1)))" "" "$failed"
echo "== fuzz: ${#harnesses[@]} harnesses, $total_execs executions in ${elapsed} s, $failed failed"
for h in "${harnesses[@]}"; do
    for a in $(find "$dir/artifacts/$h" -type f 2>/dev/null); do
        echo "   input: $a"
    done
done
[ "$failed" -eq 0 ]
