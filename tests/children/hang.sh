# hang.sh DIR: writes its pid and a grandchild's pid to DIR, then waits
# forever, so a test can check that the whole process group is gone.
dir=$1
sleep 300 &
echo $! >"$dir/grandchild.$$"
echo $$ >"$dir/child.$$"
wait
