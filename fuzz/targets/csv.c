/*
 * csv — a CSV data file (`hpo learn --data FILE.csv`; src/ml/data.c's CSV
 * reader).  See data_check.h for the input's layout and the invariants.
 *
 * Dictionary: fuzz/dict/data.dict
 */
#include "data_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_data_file(data, size, HPO__DATA_CSV);
}
