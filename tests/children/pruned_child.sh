# pruned_child.sh TRIAL DIR: reports steps 1..5 (trials 0-2 low values,
# later ones high, so the median pruner stops them at step 1), leaves a
# grandchild (`sleep 1000 &`) whose pid it writes to DIR/grandchild.TRIAL
# and its own to DIR/child.TRIAL, and prints one more report when told to
# stop (SIGTERM), which must not be stored.
t=$1
dir=$2
sleep 1000 >/dev/null 2>&1 &
echo $! >"$dir/grandchild.$t"
echo $$ >"$dir/child.$t"
trap 'echo "@hpo report 9 7"; exit 0' TERM
if [ "$t" -lt 3 ]; then v=1; else v=100; fi
for s in 1 2 3 4 5; do
    echo "@hpo report $s $((v + s))"
    sleep 0.2
done
echo "@hpo value $v"
