#!/usr/bin/env bash
# demo.sh — hpo's main job, end to end: set up, build, then tune a program
# (here a two-parameter function written in awk; any command works) with
# the study stored in SQLite, and print the best trial and the trial table.
# {x1} and {x2} are replaced by each trial's values; {{ and }} are literal
# braces.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

db=sqlite:///demo.db
study=branin-$(date +%Y%m%d-%H%M%S)
# Branin: f* = 0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475).
./build/hpo tune --storage "$db" --study "$study" --sampler qmc --seed 1 \
    --trials 128 --jobs 2 \
    --param x1=float:-5:10 --param x2=float:0:15 -- \
    awk -v x={x1} -v y={x2} 'BEGIN {{
        pi = atan2(0, -1); b = 5.1 / (4 * pi * pi); c = 5 / pi
        f = (y - b * x * x + c * x - 6) ^ 2 + 10 * (1 - 1 / (8 * pi)) * cos(x) + 10
        printf "@hpo value %.10g\n", f }}'
echo
./build/hpo best --storage "$db" --study "$study"
echo
./build/hpo trials --storage "$db" --study "$study" | head -n 12
echo "(the study is in demo.db; 'build/hpo trials --storage $db --study $study' lists all of it)"
