# population_processes.sh HPO: the ga and de samplers keep one population
# in an SQLite study across processes: a second `hpo tune` on the study
# continues the generation the first one left (not generation 0), and
# `hpo tune` and `hpo worker` running at once fill the same generations.
# (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
URL="sqlite:///$TMP/p.db"
export WHO="$TMP/who"
# The child: records which hpo process ran the trial, then a sphere.
cat >child.sh <<'EOF'
echo "$HPO_TRIAL_NUMBER $PPID" >>"$WHO"
sleep 0.01
awk -v x="$1" -v y="$2" 'BEGIN { printf "%.10g\n", (x-0.3)^2 + (y-0.3)^2 }'
EOF

# generation NAME STUDY: the stored state's generation.
generation() {
    /usr/bin/python3 - "$TMP/p.db" "$1" "$2" <<'EOF'
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
(v,) = c.execute("select a.value_json from study_system_attributes a join "
                 "studies s using (study_id) where s.study_name = ? and "
                 "a.key = ?", (sys.argv[3], "hpo:%s:state" % sys.argv[2])).fetchone()
print(json.loads(v)["generation"])
EOF
}

# members NAME STUDY: "number generation" per trial.
members() {
    "$HPO" trials --storage "$URL" --study "$2" --format json |
        /usr/bin/python3 -c 'import json, sys
for t in json.load(sys.stdin):
    m = t["system_attrs"].get("hpo:%s:member" % sys.argv[1], {})
    print(t["number"], m.get("generation", -1))' "$1"
}

for spec in ga:population_size=8,elites=2 de:population=6; do
    name=${spec%%:*}
    study=restart_$name
    run "$HPO" tune --storage "$URL" --study $study -q -n 30 --seed 1 \
        -p x=float:0:1 -p y=float:0:1 --sampler "$spec" \
        -- sh "$TMP/child.sh" '{x}' '{y}'
    expect_eq "$name: the first tune exits 0" "$RC" 0
    g=$(generation $name $study)
    expect_true "$name: 30 trials reach generation 2 or more ($g)" test "$g" -ge 2
    run "$HPO" tune --storage "$URL" --study $study -q -n 50 --seed 1 \
        -p x=float:0:1 -p y=float:0:1 --sampler "$spec" \
        -- sh "$TMP/child.sh" '{x}' '{y}'
    expect_eq "$name: the second tune exits 0" "$RC" 0
    first_new=$(members $name $study | awk '$1 == 30 { print $2 }')
    expect_true "$name: trial 30 continues generation $g ($first_new)" \
        test "$first_new" -ge "$g"
    expect_true "$name: the population went on" \
        test "$(generation $name $study)" -gt "$g"

    study=shared_$name
    : >"$WHO"
    "$HPO" tune --storage "$URL" --study $study -q -n 60 -j 2 --seed 2 \
        -p x=float:0:1 -p y=float:0:1 --sampler "$spec" \
        -- sh "$TMP/child.sh" '{x}' '{y}' >/dev/null 2>tune.err &
    tune_pid=$!
    deadline=$((SECONDS + 15))
    until [ -s "$WHO" ] || ((SECONDS >= deadline)); do sleep 0.02; done
    "$HPO" worker --storage "$URL" --study $study -q -j 2 >/dev/null 2>worker.err &
    worker_pid=$!
    codes=""
    for p in $tune_pid $worker_pid; do
        wait "$p" && codes+="0 " || codes+="$? "
    done
    expect_eq "$name: tune and worker exit 0" "$codes" "0 0 "
    # Generations with trials of both processes (the pid that ran them).
    mixed=$(members $name $study | sort -n >members.txt
            sort -n "$WHO" | join members.txt - |
            awk '{ seen[$2, $3] = 1; gens[$2] = 1 }
                 END { n = 0; for (g in gens) { k = 0
                       for (key in seen) { split(key, a, SUBSEP)
                                           if (a[1] == g) k++ }
                       n += k >= 2 }; print n }')
    expect_true "$name: generations shared by tune and worker ($mixed)" \
        test "$mixed" -ge 2
done
finish
