#!/bin/sh
# trial.sh X: one trial of the cross-host test.  It leaves a marker
# $HOSTS_MARKS/HOST.TRIAL holding its pid (HOST_TAG names the worker's
# host), so the test knows which host runs which trial; then it works for
# 0.4 s and prints (X - 2)^2.  With HOLD_FROM=K, the host's K-th trial and
# later ones never end (the test kills that host in the middle of one, and
# it must not finish first however slow the machine is).
echo $$ >"$HOSTS_MARKS/$HOST_TAG.$HPO_TRIAL_NUMBER"
if [ -n "${HOLD_FROM:-}" ] &&
    [ "$(ls "$HOSTS_MARKS" | grep -c "^$HOST_TAG\.")" -ge "$HOLD_FROM" ]; then
    exec sleep 600
fi
sleep 0.4
awk -v x="$1" 'BEGIN { print (x - 2) ^ 2 }'
