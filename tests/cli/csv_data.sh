# csv_data.sh HPO: CSV files as people have them, through `hpo learn` and
# `hpo tune-model` (src/ml/csv.c; docs/ml.md "CSV files"): quoted fields,
# missing values (an error naming line and column, or --missing), text
# columns (one-hot with their levels said, or --categorical error), a text
# target, and bad files each refused in one line with exit 2.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

run "$HPO" learn linear --data x.csv
[[ $ERR != *"built without the learners"* ]] || { echo "skipped: no learners"; exit 0; }

# docs/ml.md's example: a quoted name with a comma, doubled quotes, NA and
# an empty field, two text columns and a text target.
cat >pets.csv <<'CSV'
"weight, kg",colour,age,"said ""hi""",kind
31.5,brown,7,yes,dog
4.2,"black, white",NA,no,cat
28,brown,3,yes,dog
3.9,grey,2,no,cat
35.1,"black, white",,yes,dog
5.0,grey,11,no,cat
22.4,brown,5,no,dog
4.6,"black, white",9,yes,cat
CSV

expect_usage_error "hpo learn: pets.csv:3:3: missing value 'NA' in data row 2 (column age); --missing mean, median or drop fills or drops missing values" \
    learn linear --data pets.csv --cv 2
run "$HPO" learn linear --data pets.csv --cv 2 --missing median
expect_eq "--missing median: exit" "$RC" 0
expect_match "--missing median: a value" "$OUT" $'\n@hpo value 0\\.[0-9]+$'
expect_match "8 rows, 7 features" "$OUT" "linear on pets.csv: 8 rows, 7 features, 2 classes"
expect_match "the fill is said" "$ERR" "hpo learn: pets.csv: column 'age': 2 missing values filled with its median 6"
expect_match "the levels are said" "$ERR" "column 'colour' is categorical: one-hot over its 3 levels \\('black, white', 'brown', 'grey'\\)"
expect_match "the text target's classes" "$ERR" "target 'kind' is text: 2 class labels \\('cat'=0, 'dog'=1\\)"
run "$HPO" learn linear --data pets.csv --cv 2 --missing drop --target 5
expect_eq "--missing drop, --target by number: exit" "$RC" 0
expect_match "two rows dropped" "$ERR" "2 rows with a missing value dropped \\(the first at line 3\\); 6 left"
expect_usage_error "hpo learn: pets.csv:2:2: 'brown' is not a number (column colour): --categorical error refuses text in a feature (--categorical onehot encodes it)" \
    learn linear --data pets.csv --cv 2 --missing mean --categorical error
expect_usage_error "hpo learn: --missing: 'zero' is not error, mean, median or drop" \
    learn linear --data pets.csv --missing zero
expect_usage_error "hpo learn: --categorical: 'ordinal' is not onehot or error" \
    learn linear --data pets.csv --categorical ordinal

# The options are part of what a tune-model study tunes.
run "$HPO" tune-model linear --data pets.csv --cv 2 --missing median -n 2 \
    --storage "sqlite:///$TMP/t.db" --study s -q
expect_eq "tune-model --missing median: exit" "$RC" 0
run "$HPO" tune-model linear --data pets.csv --cv 2 --missing mean -n 2 \
    --storage "sqlite:///$TMP/t.db" --study s -q
expect_eq "another --missing is another problem: exit" "$RC" 2
expect_match "another --missing is refused" "$ERR" "study 's' tuned something else: .*\"missing\":\"median\""

# ---- bad files ---------------------------------------------------------------
printf 'a,b,y\n1,"open,0\n2,3,1\n' >unterminated.csv
expect_usage_error "hpo learn: unterminated.csv:2: a quoted field is never closed (unterminated quote in the record that starts here)" \
    learn linear --data unterminated.csv
printf 'a,b,y\n1,"x\ny",0\n1,2\n' >ragged.csv
expect_usage_error "hpo learn: ragged.csv:4: 2 fields, the header has 3" learn linear --data ragged.csv
printf 'a,b,y\n1,2,0\n3,4"5,1\n' >stray_quote.csv
expect_usage_error "hpo learn: stray_quote.csv:3:4: a quote inside an unquoted field, or text after a closing quote (RFC 4180: quote the whole field and double the quotes in it: \"say \"\"hi\"\"\")" \
    learn linear --data stray_quote.csv
: >empty.csv
expect_usage_error "hpo learn: empty.csv: empty" learn linear --data empty.csv
printf 'a,b,y\r\n' >header_only.csv
expect_usage_error "hpo learn: header_only.csv: no data rows" learn linear --data header_only.csv
printf 'a,b,y\n1,,0\n2,NA,1\n' >no_b.csv
expect_usage_error "hpo learn: no_b.csv:2: column 'b' (column 2) is missing in every row: drop it" \
    learn linear --data no_b.csv --missing mean
{ echo "id,x,y"; for i in $(seq 1 10000); do echo "u$i,$i,$((i % 2))"; done; } >ids.csv
expect_usage_error "hpo learn: ids.csv:1002:1: categorical column 'id' has more than 1000 distinct values (HPO_MAX_LEVELS): too many to one-hot encode; encode it as numbers or drop it" \
    learn linear --data ids.csv
printf 'a,b,y\n1,2,0\n\x7fELF\x02\x01\x01\x00\x00,1\n' >binary.csv
expect_usage_error "hpo learn: binary.csv:3: a NUL byte: a binary file, not CSV text" \
    learn linear --data binary.csv
{ printf 'a,y\n'; head -c 2000000 /dev/zero | tr '\0' 7; printf ',1\n'; } >huge_line.csv
expect_usage_error "hpo learn: huge_line.csv:2:1: a field of more than 1048576 bytes (HPO_MAX_CSV_FIELD): not a data file, or a quote never closed" \
    learn linear --data huge_line.csv

finish
