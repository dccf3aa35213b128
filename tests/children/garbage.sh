# garbage.sh: prints text with no number at the end of any line.
echo "hello world"
echo "0.5 is not the last word here"
printf 'no newline at the end'
