#!/usr/bin/env bash
# test.sh — set up, build and run every test: the normal build and the
# sanitizer build (AddressSanitizer + UndefinedBehaviorSanitizer), both
# with warnings as errors.  This is the command README.md and .ci/run give.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

passed=0
failed=0
run_suite() { # NAME CMAKE_ARGS...
    local dir=$1 log
    shift
    echo "== $dir: configure and build"
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    echo "== $dir: ctest"
    log=$(mktemp)
    (cd "$dir" && ctest -j "$jobs" --output-on-failure) | tee "$log" || true
    # ctest's summary: "100% tests passed, 0 tests failed out of 18"
    local total bad
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log")
    bad=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed.*/\1/p' "$log")
    rm -f "$log"
    if [ -z "$total" ]; then
        echo "== $dir: ctest gave no summary"
        failed=$((failed + 1))
        return
    fi
    passed=$((passed + total - bad))
    failed=$((failed + bad))
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The sanitizer build runs the same tests; the benchmarks' smoke runs are
# enough in the normal build.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DHPO_SANITIZE=ON
echo "== normal and sanitizer builds"
echo "$passed passed, $failed failed"

# The fuzz harnesses (docs/fuzzing.md): a clang build of their own, each
# harness run for FUZZ_TIME seconds (0 skips the stage).  A script rather
# than a ctest case: it builds with another compiler, and its summary
# (executions, crashes per harness) reads best as a stage of its own.
fuzz_time=${FUZZ_TIME:-15}
fuzz_failed=0
if [ "$fuzz_time" != 0 ]; then
    scripts/fuzz.sh -t "$fuzz_time" -j "$jobs" || fuzz_failed=1
fi
[ "$failed" -eq 0 ] && [ "$fuzz_failed" -eq 0 ]
