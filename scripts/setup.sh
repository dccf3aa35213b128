#!/usr/bin/env bash
# setup.sh — install every Debian package hpo needs to build, test and
# benchmark.  Idempotent: installs only what is missing.  Run as root (or
# through sudo); later issues add their packages to the list below.
set -euo pipefail

packages=(
    # build
    gcc g++ make cmake pkg-config
    # libraries linked into libhpo
    libcjson-dev libsqlite3-dev libpq-dev
    # the GP sampler: LAPACKE over OpenBLAS, NLopt's L-BFGS
    liblapacke-dev libopenblas-dev libnlopt-dev
    # the learners of src/ml (issue 4)
    libsvm-dev liblinear-dev libxgboost-dev
    # CSV data files with quotes (src/ml/csv.c): libcsv, RFC 4180
    libcsv-dev
    # hpo dashboard's HTTP server (cli/http_server.c)
    libmicrohttpd-dev
    # tests: process tools, and Python Optuna for the interop tests and the
    # side-by-side benchmarks (Debian's interpreter, /usr/bin/python3)
    procps python3 python3-optuna
    # Optuna's CmaEsSampler, beside hpo's cmaes in hpo-bench (issue 11)
    python3-cmaes
    # the svm_breast_cancer benchmark's reference: scikit-learn's SVC
    python3-sklearn
    # the xgb_spam pruning benchmark's reference (hpo-bench pruning)
    python3-xgboost
    # the PostgreSQL storage tests: a throw-away server (tests/pg/), and
    # psycopg2 so Python Optuna reaches it
    postgresql python3-psycopg2
    # the cross-host test: network namespaces joined by veth pairs (tests/hosts/)
    iproute2
    # the fuzz harnesses (scripts/fuzz.sh): clang with libFuzzer and the
    # sanitizer runtimes
    clang libclang-rt-14-dev
    # hpo report in a real browser (tests/browser/): headless Chromium
    # driven by Selenium through chromedriver
    chromium chromium-driver python3-selenium
    # the Python binding (python/, issue 15): cffi in ABI mode over libhpo;
    # pandas for Study.trials_dataframe()
    python3-cffi python3-pandas
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "setup: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
