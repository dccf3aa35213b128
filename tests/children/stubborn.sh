# stubborn.sh DIR: like hang.sh, but ignores SIGTERM: only SIGKILL ends it.
dir=$1
trap '' TERM
sleep 300 &
echo $! >"$dir/grandchild.$$"
echo $$ >"$dir/child.$$"
while :; do wait; done
