# segv.sh: dies by SIGSEGV after printing a number (which must not count).
echo 0.5
kill -SEGV $$
