# crash.sh: complains on stderr and exits with status 3.
echo "loading data"
echo "Traceback (most recent call last):" >&2
echo "ValueError: bad learning rate" >&2
exit 3
