#!/usr/bin/env bash
# test.sh — set up, build and run every test: the normal build and the
# sanitizer build (AddressSanitizer + UndefinedBehaviorSanitizer), both
# with warnings as errors.  This is the command README.md and .ci/run give.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

run_suite() { # NAME CMAKE_ARGS...
    local dir=$1
    shift
    echo "== $dir: configure and build"
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    echo "== $dir: ctest"
    (cd "$dir" && ctest -j "$jobs" --output-on-failure)
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The sanitizer build runs the same tests; the benchmarks' smoke runs are
# enough in the normal build.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DHPO_SANITIZE=ON
echo "== all tests passed (normal and sanitizer builds)"
